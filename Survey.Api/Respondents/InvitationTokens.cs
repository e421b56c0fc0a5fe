using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Options;
using Survey.Domain.Common;

namespace Survey.Api.Respondents;

/// <summary>What an invitation token says, once its signature and expiry are verified.</summary>
public sealed record InvitationClaims(string TenantId, Guid InvitationId, Guid QuestionnaireId, DateTimeOffset ExpiresAt);

/// <summary>The signing key made on first start when none is configured (single-tenanted: one per installation).</summary>
public sealed record TokenSigningKey(string Id, string Key);

/// <summary>
/// Invitation tokens: <c>base64url(payload).base64url(HMAC-SHA256(payload))</c>, payload holding tenant, invitation,
/// questionnaire, expiry and audience. Verified in constant time, then checked for audience and expiry; never just decoded.
/// </summary>
public sealed class InvitationTokens(IOptions<RespondentOptions> options, IDocumentStore store, TimeProvider time)
{
    private const string Audience = "survey-respondent";
    private byte[]? _key;

    private sealed record Payload(string Aud, string T, Guid I, Guid Q, long Exp);

    public async Task<string> Issue(InvitationClaims claims, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(Audience, claims.TenantId, claims.InvitationId, claims.QuestionnaireId, claims.ExpiresAt.ToUnixTimeSeconds()));
        var signature = HMACSHA256.HashData(await Key(ct), payload);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}";
    }

    /// <param name="allowExpired">Unsubscribing keeps working after the survey closed; answering does not.</param>
    public async Task<InvitationClaims> Verify(string token, CancellationToken ct, bool allowExpired = false)
    {
        var parts = token.Split('.');
        if (parts.Length != 2 || parts[0].Length > 2048) throw Invalid();
        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[0]);
            signature = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException) { throw Invalid(); }
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(await Key(ct), payload), signature)) throw Invalid();

        Payload? claims;
        try { claims = JsonSerializer.Deserialize<Payload>(payload); }
        catch (JsonException) { throw Invalid(); }
        if (claims is null || claims.Aud != Audience || string.IsNullOrEmpty(claims.T)) throw Invalid();
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.Exp);
        if (!allowExpired && time.GetUtcNow() >= expires) throw new ExpiredException("This survey has closed. Thank you for your interest.");
        return new InvitationClaims(claims.T, claims.I, claims.Q, expires);
    }

    private static InvalidCredentialException Invalid() =>
        new("This survey link is not valid. Please open the link exactly as you received it.");

    private async Task<byte[]> Key(CancellationToken ct)
    {
        if (_key is not null) return _key;
        if (options.Value.TokenKey is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Respondents:TokenKey must hold at least 32 bytes (base64).");
            return _key = bytes;
        }
        await using var session = store.LightweightSession();
        var stored = await session.LoadAsync<TokenSigningKey>("invitations", ct);
        if (stored is null)
        {
            session.Insert(new TokenSigningKey("invitations", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            try { await session.SaveChangesAsync(ct); }
            catch (JasperFx.DocumentAlreadyExistsException) { /* another node made it first */ }
            await using var again = store.QuerySession();
            stored = await again.LoadAsync<TokenSigningKey>("invitations", ct) ?? throw new InvalidOperationException("No token signing key.");
        }
        return _key = Convert.FromBase64String(stored.Key);
    }
}
