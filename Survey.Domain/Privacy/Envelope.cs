using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Survey.Domain.Privacy;

/// <summary>
/// Personal values sealed with AES-256-GCM under a data key: <c>pd1:</c> + base64(nonce 12 | tag 16 | ciphertext). The context
/// (e.g. <c>customer:C-1|email</c>) is authenticated as associated data, so a sealed value cannot be moved to another subject or
/// field. Without its data key a sealed value is noise: deleting the key erases every copy (crypto-shredding).
/// </summary>
public static class Envelope
{
    public const string Prefix = "pd1:";
    private const int NonceSize = 12, TagSize = 16;

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public static byte[] NewKey()
    {
        var key = new byte[32];
        RandomPool.Fill(key);
        return key;
    }

    /// <summary>
    /// Random bytes for nonces and keys from the system's CSPRNG, fetched a block at a time per thread: one call into it costs about as
    /// much as sealing a short value, and a new customer needs five. Bytes handed out are wiped from the block and never handed out twice.
    /// </summary>
    private static class RandomPool
    {
        private const int BlockSize = 4096;
        [ThreadStatic] private static byte[]? _block;
        [ThreadStatic] private static int _used;

        public static void Fill(Span<byte> destination)
        {
            if (destination.Length > 64) { RandomNumberGenerator.Fill(destination); return; }
            if (_block is null) { _block = new byte[BlockSize]; _used = BlockSize; }
            if (_used + destination.Length > BlockSize) { RandomNumberGenerator.Fill(_block); _used = 0; }
            var taken = _block.AsSpan(_used, destination.Length);
            taken.CopyTo(destination);
            CryptographicOperations.ZeroMemory(taken);
            _used += destination.Length;
        }
    }

    /// <summary>Seals with a random nonce.</summary>
    public static string Seal(byte[] key, string clear, string context)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        RandomPool.Fill(nonce);
        return Seal(key, clear, context, nonce);
    }

    /// <summary>
    /// Seals so that the same (key, context, clear) always gives the same text: the nonce is a keyed hash of context and value
    /// (the SIV construction). Equal sealed values reveal only that the clear values are equal, which retried saves rely on.
    /// </summary>
    public static string SealDeterministic(byte[] key, string clear, string context)
    {
        var nonceKey = HMACSHA256.HashData(key, "nonce"u8);
        var nonce = HMACSHA256.HashData(nonceKey, Encoding.UTF8.GetBytes(context + "\0" + clear)).AsSpan(0, NonceSize).ToArray();
        return Seal(key, clear, context, nonce);
    }

    private static string Seal(byte[] key, string clear, string context, ReadOnlySpan<byte> nonce)
    {
        using var sealer = new Sealer(key);
        return sealer.Seal(clear, context, nonce);
    }

    /// <summary>The clear value; throws <see cref="CryptographicException"/> when the key, the context or the text is not the one it was sealed with.</summary>
    public static string Open(byte[] key, string sealedValue, string context)
    {
        using var sealer = new Sealer(key);
        return sealer.Open(sealedValue, context);
    }

    /// <summary>
    /// Seals and opens many values under one key with one AES-GCM key schedule (creating one costs more than sealing a short
    /// value). Not thread-safe: one per thread, disposed after use.
    /// </summary>
    public sealed class Sealer(byte[] key) : IDisposable
    {
        private const int OnStack = 512; // bytes: short values (names, contact points, keys) are sealed and opened without buffers on the heap
        private readonly AesGcm _aes = new(key, TagSize);

        /// <summary>Seals with a random nonce (as <see cref="Envelope.Seal(byte[], string, string)"/>).</summary>
        public string Seal(string clear, string context)
        {
            Span<byte> nonce = stackalloc byte[NonceSize];
            RandomPool.Fill(nonce);
            return Seal(clear, context, nonce);
        }

        internal string Seal(string clear, string context, ReadOnlySpan<byte> nonce)
        {
            var plainLength = Encoding.UTF8.GetByteCount(clear);
            var length = NonceSize + TagSize + plainLength;
            var rented = length + plainLength > OnStack ? ArrayPool<byte>.Shared.Rent(length + plainLength) : null;
            Span<byte> buffer = rented is null ? stackalloc byte[OnStack] : rented;
            try
            {
                var output = buffer[..length];
                var plain = buffer.Slice(length, plainLength);
                Encoding.UTF8.GetBytes(clear, plain);
                nonce.CopyTo(output);
                _aes.Encrypt(nonce, plain, output[(NonceSize + TagSize)..], output.Slice(NonceSize, TagSize), Context(context, stackalloc byte[OnStack]));
                return string.Concat(Prefix, Convert.ToBase64String(output));
            }
            finally
            {
                if (rented is not null) { CryptographicOperations.ZeroMemory(rented); ArrayPool<byte>.Shared.Return(rented); }
            }
        }

        /// <summary>The clear value; throws <see cref="CryptographicException"/> when the key, the context or the text is not the one it was sealed with.</summary>
        public string Open(string sealedValue, string context)
        {
            if (!IsSealed(sealedValue)) throw new ArgumentException("Not a sealed value.", nameof(sealedValue));
            var encoded = sealedValue.AsSpan(Prefix.Length);
            var rented = encoded.Length * 2 > OnStack ? ArrayPool<byte>.Shared.Rent(encoded.Length * 2) : null;
            Span<byte> buffer = rented is null ? stackalloc byte[OnStack] : rented;
            try
            {
                var plain = Decrypt(encoded, context, buffer);
                return Encoding.UTF8.GetString(plain);
            }
            finally
            {
                if (rented is not null) { CryptographicOperations.ZeroMemory(rented); ArrayPool<byte>.Shared.Return(rented); }
            }
        }

        /// <summary>Whether <paramref name="sealedValue"/> opens under this key and context to exactly <paramref name="clear"/>.</summary>
        public bool Holds(string sealedValue, string context, string clear)
        {
            if (!IsSealed(sealedValue)) return false;
            var encoded = sealedValue.AsSpan(Prefix.Length);
            var size = encoded.Length * 2 + Encoding.UTF8.GetMaxByteCount(clear.Length);
            var rented = size > OnStack ? ArrayPool<byte>.Shared.Rent(size) : null;
            Span<byte> buffer = rented is null ? stackalloc byte[OnStack] : rented;
            try
            {
                var plain = Decrypt(encoded, context, buffer[..(encoded.Length * 2)]);
                var expected = buffer[(encoded.Length * 2)..];
                return plain.SequenceEqual(expected[..Encoding.UTF8.GetBytes(clear, expected)]);
            }
            catch (Exception e) when (e is CryptographicException or FormatException) { return false; }
            finally
            {
                if (rented is not null) { CryptographicOperations.ZeroMemory(rented); ArrayPool<byte>.Shared.Return(rented); }
            }
        }

        /// <summary>Decodes and decrypts into <paramref name="buffer"/> (at least twice the encoded length) and returns the clear bytes.</summary>
        private Span<byte> Decrypt(ReadOnlySpan<char> encoded, string context, Span<byte> buffer)
        {
            if (!Convert.TryFromBase64Chars(encoded, buffer[..encoded.Length], out var length)) throw new FormatException("The sealed value is not base64.");
            if (length < NonceSize + TagSize) throw new CryptographicException("The sealed value is truncated.");
            var bytes = buffer[..length];
            var plain = buffer.Slice(encoded.Length, length - NonceSize - TagSize);
            _aes.Decrypt(bytes[..NonceSize], bytes[(NonceSize + TagSize)..], bytes.Slice(NonceSize, TagSize), plain, Context(context, stackalloc byte[OnStack]));
            return plain;
        }

        /// <summary>The context as UTF-8, in <paramref name="buffer"/> when it fits.</summary>
        private static ReadOnlySpan<byte> Context(string context, Span<byte> buffer) =>
            Encoding.UTF8.GetMaxByteCount(context.Length) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(context, buffer)] : Encoding.UTF8.GetBytes(context);

        /// <summary>A data key wrapped by this (master) key, as <see cref="Envelope.Wrap"/>.</summary>
        public string Wrap(byte[] dataKey, string tenant, string keyId) => Seal(Convert.ToBase64String(dataKey), WrapContext(tenant, keyId));

        public byte[] Unwrap(string wrapped, string tenant, string keyId) => Convert.FromBase64String(Open(wrapped, WrapContext(tenant, keyId)));

        public void Dispose() => _aes.Dispose();
    }

    private static string WrapContext(string tenant, string keyId) => $"key|{tenant}|{keyId}";

    /// <summary>A data key wrapped by the master key, bound to its tenant and key id.</summary>
    public static string Wrap(byte[] masterKey, byte[] dataKey, string tenant, string keyId) =>
        Seal(masterKey, Convert.ToBase64String(dataKey), WrapContext(tenant, keyId));

    public static byte[] Unwrap(byte[] masterKey, string wrapped, string tenant, string keyId) =>
        Convert.FromBase64String(Open(masterKey, wrapped, WrapContext(tenant, keyId)));
}

/// <summary>
/// A keyed HMAC of a normalised contact point, so customers can be found by phone or e-mail (dedup, consent) without storing
/// the clear value. The index key is derived from the master key per tenant.
/// </summary>
public static class BlindIndex
{
    public static byte[] TenantKey(byte[] masterKey, string tenant) => HMACSHA256.HashData(masterKey, Encoding.UTF8.GetBytes("blind-index|" + tenant));

    public static string Email(byte[] tenantKey, string email) => Of(tenantKey, "email", email.Trim().ToLowerInvariant());

    /// <summary>For an E.164 number (+8613812345678): digits and the leading plus only.</summary>
    public static string Phone(byte[] tenantKey, string e164) => Of(tenantKey, "phone", new string(e164.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray()));

    /// <summary>For a WeChat openid (case-sensitive, as WeChat gives it).</summary>
    public static string OpenId(byte[] tenantKey, string openId) => Of(tenantKey, "wechat", openId.Trim());

    private static string Of(byte[] key, string kind, string normalised)
    {
        var hmac = Hmac(key);
        var text = string.Concat(kind, ":", normalised);
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > 512) hmac.AppendData(Encoding.UTF8.GetBytes(text));
        else
        {
            Span<byte> bytes = stackalloc byte[512];
            hmac.AppendData(bytes[..Encoding.UTF8.GetBytes(text, bytes)]);
        }
        Span<byte> hash = stackalloc byte[32];
        hmac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash[..16]); // the first 32 hex digits
    }

    // one HMAC context per thread for the last tenant key used (one batch indexes many values under one key); a one-shot HMAC
    // sets up a new context for every value
    [ThreadStatic] private static (byte[] Key, IncrementalHash Hmac)? _last;

    private static IncrementalHash Hmac(byte[] key)
    {
        if (_last is { } last && last.Key.AsSpan().SequenceEqual(key)) return last.Hmac;
        _last?.Hmac.Dispose();
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        _last = ((byte[])key.Clone(), hmac);
        return hmac;
    }
}
