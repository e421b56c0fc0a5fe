using Marten;
using Microsoft.Extensions.Caching.Memory;
using Survey.Domain.Privacy;

namespace Survey.Api.Privacy;

/// <summary>
/// One data key, wrapped by the master key. <see cref="Id"/> is <c>customer:{externalId}</c> (names and contact points) or
/// <c>response:{id}</c> (free-text answers of one response); <see cref="Subject"/> is the data subject it belongs to: the
/// customer, or the response itself when nobody is known (open links, widgets). Erasing a subject deletes all its keys;
/// retention deletes the keys of old responses one by one. Deleting a key is the erasure: the sealed copies stay where they are
/// (events are immutable) and can no longer be opened.
/// </summary>
public sealed record DataKey(string Id, string Subject, string Wrapped, DateTimeOffset CreatedAt, DateTimeOffset? ItemAt = null);

/// <summary>The opened data keys of one request, by key id.</summary>
public sealed class KeyRing(Dictionary<string, byte[]> keys)
{
    public bool TryGet(string keyId, out byte[] key) => keys.TryGetValue(keyId, out key!);
    internal void Add(string keyId, byte[] key) => keys[keyId] = key;
}

public static class KeyIds
{
    public static string Customer(string externalId) => "customer:" + externalId;
    public static string Response(Guid responseId) => "response:" + responseId.ToString("N");
}

/// <summary>Reads and creates data keys (the key table is Marten's <c>mt_doc_datakey</c>, per tenant).</summary>
/// <remarks>
/// The rule for the per-node cache of opened keys (<see cref="LoadForSave"/>): only the answer-save path uses it, to seal and
/// open the free text of the response being saved; nothing read for a console user or an export goes through it. An entry is
/// a key this node read from the database or created and saw committed, and lives at most <see cref="CacheLifetime"/>.
/// Erasure and retention on this node evict the keys they delete (<see cref="Forget"/>); on another node a deleted key can be
/// used for at most <see cref="CacheLifetime"/> more by saves of that one response (in memory only: a text sealed under it in
/// that time is unreadable like the rest, and nothing is ever shown from the cache). Every other read goes to the database.
/// </remarks>
public sealed class DataKeys(MasterKey master, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(2);
    private readonly MemoryCache _opened = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    // wrapping and unwrapping on one AES-GCM key schedule of the master key per thread, not one per data key
    private readonly ThreadLocal<Envelope.Sealer> _master = new(() => new Envelope.Sealer(master.Key));

    /// <summary>The ring for saving one response: its key from this node's cache, else from the database (then cached).</summary>
    public async Task<KeyRing> LoadForSave(IQuerySession session, string keyId, CancellationToken ct)
    {
        if (_opened.TryGetValue((session.TenantId, keyId), out byte[]? cached) && cached is not null)
            return new KeyRing(new Dictionary<string, byte[]> { [keyId] = cached });
        var ring = await Load(session, [keyId], ct);
        if (ring.TryGet(keyId, out var key)) Remember(session.TenantId, keyId, key);
        return ring;
    }

    /// <summary>Caches a key for the save path; call it for a created key only after its insert is committed.</summary>
    public void Remember(string tenant, string keyId, byte[] key) =>
        _opened.Set((tenant, keyId), key, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheLifetime });

    /// <summary>Drops deleted keys from this node's cache (erasure, retention), after the deletion is committed.</summary>
    public void Forget(string tenant, IEnumerable<string> keyIds)
    {
        foreach (var keyId in keyIds) _opened.Remove((tenant, keyId));
    }

    public async Task<KeyRing> Load(IQuerySession session, IEnumerable<string> keyIds, CancellationToken ct)
    {
        var ids = keyIds.Distinct().ToArray();
        var found = ids.Length == 0 ? [] : await session.LoadManyAsync<DataKey>(ct, ids);
        return Open(session.TenantId, found.Select(k => (k.Id, k.Wrapped)));
    }

    /// <summary>The ring of keys a caller read with its own SQL (key id and <see cref="DataKey.Wrapped"/>), unwrapped. Nothing is cached.</summary>
    public KeyRing Open(string tenant, IEnumerable<(string KeyId, string Wrapped)> wrapped)
    {
        var unwrapping = _master.Value!;
        var keys = new Dictionary<string, byte[]>();
        foreach (var (keyId, value) in wrapped) keys[keyId] = unwrapping.Unwrap(value, tenant, keyId);
        return new KeyRing(keys);
    }

    /// <summary>Adds a new key to the ring and inserts it into the session (committed with the data it seals).</summary>
    public byte[] Create(IDocumentSession session, KeyRing ring, string keyId, string subject, DateTimeOffset? itemAt = null)
    {
        session.Insert(New(session.TenantId, ring, keyId, subject, out var key, itemAt));
        return key;
    }

    /// <summary>A new key added to the ring, for the caller to insert (committed with the data it seals).</summary>
    public DataKey New(string tenant, KeyRing ring, string keyId, string subject, out byte[] key, DateTimeOffset? itemAt = null)
    {
        key = Envelope.NewKey();
        ring.Add(keyId, key);
        return new DataKey(keyId, subject, _master.Value!.Wrap(key, tenant, keyId), time.GetUtcNow(), itemAt);
    }

    public byte[] IndexKey(string tenant) => BlindIndex.TenantKey(master.Key, tenant);
}
