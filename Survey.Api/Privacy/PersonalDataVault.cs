using System.Security.Cryptography;
using Marten;
using Survey.Api.Operations;
using Survey.Domain.Operations;
using Survey.Domain.Privacy;
using Survey.Domain.Responses;

namespace Survey.Api.Privacy;

/// <summary>
/// The one place personal data is sealed and opened: customers' names and contact points, free-text answers. A value whose key
/// is gone is erased, and shows as <see cref="Erased"/> (or as nothing, where a contact point is needed to send).
/// </summary>
public sealed class PersonalDataVault(DataKeys keys)
{
    public const string Erased = "[erased]";

    public DataKeys Keys => keys;

    /// <summary>The blind index a customer with this WeChat openid is stored under (mini-program members find their surveys by it).</summary>
    public string OpenIdIndex(string tenant, string openId) => BlindIndex.OpenId(keys.IndexKey(tenant), openId);

    public static string Context(string keyId, string field) => keyId + "|" + field;

    /// <summary>The clear value; a value sealed under a key that no longer exists is <see cref="Erased"/>.</summary>
    public static string? Reveal(KeyRing ring, string keyId, string field, string? value)
    {
        if (!Envelope.IsSealed(value)) return value;
        if (!ring.TryGet(keyId, out var key)) return Erased;
        try { return Envelope.Open(key, value!, Context(keyId, field)); }
        catch (CryptographicException) { return Erased; }
    }

    // ---- customers ----

    /// <summary>
    /// The record to store for a customer: clear fields sealed under the customer's key (created when missing), fields already
    /// sealed kept, and blind indexes of e-mail and mobile for lookups.
    /// </summary>
    public CustomerRecord Seal(IDocumentSession session, KeyRing ring, CustomerRecord? existing, Customer customer, DateTimeOffset now)
    {
        var keyId = KeyIds.Customer(customer.ExternalId);
        var clear = new[] { customer.Name, customer.Email, customer.Mobile, customer.WeChatOpenId }.Any(v => !string.IsNullOrEmpty(v) && !Envelope.IsSealed(v));
        if (!clear) return new CustomerRecord(customer.ExternalId, customer, now, existing?.EmailIndex, existing?.MobileIndex, existing?.WeChatIndex);
        if (!ring.TryGet(keyId, out var key)) key = keys.Create(session, ring, keyId, keyId);
        var index = keys.IndexKey(session.TenantId);
        string? SealField(string field, string? value) =>
            string.IsNullOrEmpty(value) || Envelope.IsSealed(value) ? value : Envelope.Seal(key, value, Context(keyId, field));
        var emailIndex = customer.Email is { } e && !Envelope.IsSealed(e) ? BlindIndex.Email(index, e) : existing?.EmailIndex;
        var mobileIndex = customer.Mobile is { } m && !Envelope.IsSealed(m) ? BlindIndex.Phone(index, m) : existing?.MobileIndex;
        var wechatIndex = customer.WeChatOpenId is { } o && !Envelope.IsSealed(o) ? BlindIndex.OpenId(index, o) : existing?.WeChatIndex;
        return new CustomerRecord(customer.ExternalId, customer with
        {
            Name = SealField("name", customer.Name),
            Email = SealField("email", customer.Email),
            Mobile = SealField("mobile", customer.Mobile),
            WeChatOpenId = SealField("wechat", customer.WeChatOpenId),
        }, now, emailIndex, mobileIndex, wechatIndex);
    }

    /// <summary>The customer in clear. Erased fields are null (<paramref name="erasedAs"/> to show them as erased instead).</summary>
    public static Customer Open(KeyRing ring, Customer customer, string? erasedAs = null)
    {
        var keyId = KeyIds.Customer(customer.ExternalId);
        string? Field(string field, string? value)
        {
            var clear = Reveal(ring, keyId, field, value);
            return clear == Erased && Envelope.IsSealed(value) ? erasedAs : clear;
        }
        return customer with
        {
            Name = Field("name", customer.Name),
            Email = Field("email", customer.Email),
            Mobile = Field("mobile", customer.Mobile),
            WeChatOpenId = Field("wechat", customer.WeChatOpenId),
        };
    }

    public async Task<Customer?> Open(IQuerySession session, Customer? customer, CancellationToken ct, string? erasedAs = null) =>
        customer is null ? null : Open(await keys.Load(session, [KeyIds.Customer(customer.ExternalId)], ct), customer, erasedAs);

    // ---- responses ----

    public static bool HasSealedText(Response response) => response.Answers.Values.Any(a => Envelope.IsSealed(a.Text));

    /// <summary>The response with its free-text answers in clear (or <see cref="Erased"/>).</summary>
    public static Response Open(KeyRing ring, Response response)
    {
        if (!HasSealedText(response)) return response;
        var keyId = KeyIds.Response(response.Id);
        return response with
        {
            Answers = response.Answers.ToDictionary(a => a.Key, a => Envelope.IsSealed(a.Value.Text) ? a.Value with { Text = Reveal(ring, keyId, a.Key, a.Value.Text) } : a.Value),
        };
    }

    public async Task<IReadOnlyList<Response>> Open(IQuerySession session, IReadOnlyList<Response> responses, CancellationToken ct)
    {
        var sealedOnes = responses.Where(HasSealedText).ToList();
        if (sealedOnes.Count == 0) return responses;
        var ring = await keys.Load(session, sealedOnes.Select(r => KeyIds.Response(r.Id)), ct);
        return responses.Select(r => Open(ring, r)).ToList();
    }

    public async Task<Response> Open(IQuerySession session, Response response, CancellationToken ct) => (await Open(session, [response], ct))[0];
}
