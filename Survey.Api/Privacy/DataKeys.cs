using Marten;
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
public sealed class DataKeys(MasterKey master, TimeProvider time)
{
    public async Task<KeyRing> Load(IQuerySession session, IEnumerable<string> keyIds, CancellationToken ct)
    {
        var ids = keyIds.Distinct().ToArray();
        var found = ids.Length == 0 ? [] : await session.LoadManyAsync<DataKey>(ct, ids);
        return new KeyRing(found.ToDictionary(k => k.Id, k => Envelope.Unwrap(master.Key, k.Wrapped, session.TenantId, k.Id)));
    }

    /// <summary>Adds a new key to the ring and inserts it into the session (committed with the data it seals).</summary>
    public byte[] Create(IDocumentSession session, KeyRing ring, string keyId, string subject, DateTimeOffset? itemAt = null)
    {
        var key = Envelope.NewKey();
        session.Insert(new DataKey(keyId, subject, Envelope.Wrap(master.Key, key, session.TenantId, keyId), time.GetUtcNow(), itemAt));
        ring.Add(keyId, key);
        return key;
    }

    public byte[] IndexKey(string tenant) => BlindIndex.TenantKey(master.Key, tenant);
}
