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

/// <summary>A signed-in mini-program member: who (the openid WeChat gave for this mini-program) in which tenant, until when.</summary>
public sealed record MemberClaims(string TenantId, string OpenId, DateTimeOffset ExpiresAt);

/// <summary>The signing key made on first start when none is configured (single-tenanted: one per installation).</summary>
public sealed record TokenSigningKey(string Id, string Key);

/// <summary>
/// Invitation tokens: <c>base64url(payload).base64url(HMAC-SHA256(payload))</c>, payload holding tenant, invitation,
/// questionnaire, expiry and audience. Verified in constant time, then checked for audience and expiry; never just decoded.
/// </summary>
public sealed class InvitationTokens(IOptions<RespondentOptions> options, IDocumentStore store, TimeProvider time)
{
    private const string Audience = "survey-respondent";
    private const string MemberAudience = "survey-member";
    private byte[]? _key;

    private sealed record Payload(string Aud, string T, Guid I, Guid Q, long Exp);
    private sealed record MemberPayload(string Aud, string T, string O, long Exp);

    public Task<string> Issue(InvitationClaims claims, CancellationToken ct) =>
        Sign(new Payload(Audience, claims.TenantId, claims.InvitationId, claims.QuestionnaireId, claims.ExpiresAt.ToUnixTimeSeconds()), ct);

    /// <param name="allowExpired">Unsubscribing keeps working after the survey closed; answering does not.</param>
    public async Task<InvitationClaims> Verify(string token, CancellationToken ct, bool allowExpired = false)
    {
        var invalid = new InvalidCredentialException("This survey link is not valid. Please open the link exactly as you received it.");
        var claims = await Open<Payload>(token, invalid, ct);
        if (claims.Aud != Audience || string.IsNullOrEmpty(claims.T)) throw invalid;
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.Exp);
        if (!allowExpired && time.GetUtcNow() >= expires) throw new ExpiredException("This survey has closed. Thank you for your interest.");
        return new InvitationClaims(claims.T, claims.I, claims.Q, expires);
    }

    /// <summary>A mini-program member's token: tenant and openid, signed like invitation tokens but for another audience.</summary>
    public Task<string> IssueMember(MemberClaims claims, CancellationToken ct) =>
        Sign(new MemberPayload(MemberAudience, claims.TenantId, claims.OpenId, claims.ExpiresAt.ToUnixTimeSeconds()), ct);

    public async Task<MemberClaims> VerifyMember(string token, CancellationToken ct)
    {
        var invalid = new InvalidCredentialException("Please sign in again.");
        var claims = await Open<MemberPayload>(token, invalid, ct);
        if (claims.Aud != MemberAudience || string.IsNullOrEmpty(claims.T) || string.IsNullOrEmpty(claims.O)) throw invalid;
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.Exp);
        if (time.GetUtcNow() >= expires) throw invalid;
        return new MemberClaims(claims.T, claims.O, expires);
    }

    private async Task<string> Sign<T>(T claims, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims);
        var signature = HMACSHA256.HashData(await Key(ct), payload);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The payload of a token whose signature is right (constant-time check), else <paramref name="invalid"/>.</summary>
    private async Task<T> Open<T>(string token, Exception invalid, CancellationToken ct) where T : class
    {
        var parts = token.Split('.');
        if (parts.Length != 2 || parts[0].Length > 2048) throw invalid;
        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[0]);
            signature = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException) { throw invalid; }
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(await Key(ct), payload), signature)) throw invalid;
        try { return JsonSerializer.Deserialize<T>(payload) ?? throw invalid; }
        catch (JsonException) { throw invalid; }
    }

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
