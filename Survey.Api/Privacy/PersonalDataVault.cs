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
    /// sealed kept, and blind indexes of e-mail and mobile for lookups. A clear field equal to what <paramref name="existing"/>
    /// holds sealed under the same key keeps the stored sealed value and blind index (nothing re-sealed, nothing changed).
    /// </summary>
    /// <param name="indexKey">The tenant's blind-index key (<see cref="DataKeys.IndexKey"/>), derived once per batch by callers that seal many.</param>
    /// <param name="newKeys">Where a new data key goes for the caller to insert with its own statement (it is otherwise inserted into <paramref name="session"/>).</param>
    public CustomerRecord Seal(IDocumentSession session, KeyRing ring, CustomerRecord? existing, Customer customer, DateTimeOffset now, byte[]? indexKey = null,
        List<DataKey>? newKeys = null)
    {
        var keyId = KeyIds.Customer(customer.ExternalId);
        var clear = IsClear(customer.Name) || IsClear(customer.Email) || IsClear(customer.Mobile) || IsClear(customer.WeChatOpenId);
        if (!clear) return new CustomerRecord(customer.ExternalId, customer, now, existing?.EmailIndex, existing?.MobileIndex, existing?.WeChatIndex);
        var known = ring.TryGet(keyId, out var key);
        if (!known && newKeys is null) key = keys.Create(session, ring, keyId, keyId);
        else if (!known) newKeys!.Add(keys.New(session.TenantId, ring, keyId, keyId, out key));
        using var sealer = new Envelope.Sealer(key); // one key schedule for the customer's fields
        var stored = known ? existing?.Customer : null; // values sealed under a key that is gone (erased) are never kept
        // a new sealed value; null when the value is not in clear or the stored sealed value already holds exactly it
        string? Changed(string field, string? value, string? before) =>
            !IsClear(value) || before is not null && sealer.Holds(before, Context(keyId, field), value!) ? null : sealer.Seal(value!, Context(keyId, field));
        var name = Changed("name", customer.Name, stored?.Name);
        var email = Changed("email", customer.Email, stored?.Email);
        var mobile = Changed("mobile", customer.Mobile, stored?.Mobile);
        var wechat = Changed("wechat", customer.WeChatOpenId, stored?.WeChatOpenId);
        byte[]? index = indexKey;
        // a new value gets a new blind index; a kept one keeps its own (computed when the stored record has none)
        string? Index(string? value, string? sealedNow, string? before, Func<byte[], string, string> of) =>
            !IsClear(value) || sealedNow is null && before is not null ? before : of(index ??= keys.IndexKey(session.TenantId), value!);
        return new CustomerRecord(customer.ExternalId, customer with
        {
            Name = name ?? (IsClear(customer.Name) ? stored!.Name : customer.Name),
            Email = email ?? (IsClear(customer.Email) ? stored!.Email : customer.Email),
            Mobile = mobile ?? (IsClear(customer.Mobile) ? stored!.Mobile : customer.Mobile),
            WeChatOpenId = wechat ?? (IsClear(customer.WeChatOpenId) ? stored!.WeChatOpenId : customer.WeChatOpenId),
        }, now,
            Index(customer.Email, email, existing?.EmailIndex, BlindIndex.Email),
            Index(customer.Mobile, mobile, existing?.MobileIndex, BlindIndex.Phone),
            Index(customer.WeChatOpenId, wechat, existing?.WeChatIndex, BlindIndex.OpenId));
    }

    private static bool IsClear(string? value) => !string.IsNullOrEmpty(value) && !Envelope.IsSealed(value);

    /// <summary>Whether two records store the same customer (sealed values, consents, indexes), whatever their update time.</summary>
    public static bool SameContent(CustomerRecord a, CustomerRecord b) =>
        a.Id == b.Id && a.EmailIndex == b.EmailIndex && a.MobileIndex == b.MobileIndex && a.WeChatIndex == b.WeChatIndex
        && a.Customer with { Consents = b.Customer.Consents } == b.Customer && a.Customer.Consents.SequenceEqual(b.Customer.Consents);

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
