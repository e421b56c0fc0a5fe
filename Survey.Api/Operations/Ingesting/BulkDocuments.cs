using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Survey.Api.Operations.Ingesting;

/// <summary>
/// Set-based writes of many documents of one type into Marten's own table, in the transaction of a Marten session: one
/// statement for a whole batch instead of one upsert-function call per document. Rows carry what Marten's own writes carry
/// (tenant, .NET type, a fresh version, last-modified = the transaction's time) and the JSON of Marten's serializer, so Marten
/// loads and queries them as its own (BulkIngestingTests read them back through Marten, metadata included).
/// </summary>
/// <remarks>
/// The names are Marten 9's (its <c>SchemaConstants</c> and <c>TenantIdColumn</c>, internal to Marten): a document table is
/// <c>mt_doc_</c> + the type's name in lower case in the store's schema, with these metadata columns. Other metadata columns
/// (soft deletion, created-at...) are not enabled for these documents.
/// </remarks>
public sealed class BulkDocuments<T>(IDocumentStore store)
{
    private const string Tenant = "tenant_id", DotNetTypeColumn = "mt_dotnet_type", VersionColumn = "mt_version", LastModifiedColumn = "mt_last_modified";
    private readonly string _table = $"{store.Options.DatabaseSchemaName}.mt_doc_{typeof(T).Name.ToLowerInvariant()}";

    /// <summary>The document table, with its schema.</summary>
    public string Table => _table;
    private static readonly string Columns = $"id, data, {Tenant}, {DotNetTypeColumn}, {VersionColumn}, {LastModifiedColumn}";
    private static readonly string DotNetType = typeof(T).FullName!;

    /// <summary>Rows of (id, JSON) from the two arrays, in id order, so concurrent batches lock rows in the same order.</summary>
    private static string Rows(string tenant, string type, string ids, string data) =>
        $"select u.id, u.data::jsonb, {tenant}, {type}, gen_random_uuid(), transaction_timestamp() from unnest({ids}::text[], {data}::text[]) as u(id, data) order by u.id";

    private (string[] Ids, string[] Json) Serialise(IReadOnlyList<T> documents, Func<T, string> id)
    {
        var serializer = store.Options.Serializer();
        using var _ = IngestPhases.Measure("serialise");
        return (documents.Select(id).ToArray(), documents.Select(d => serializer.ToJson(d!)).ToArray());
    }

    /// <summary>The statement that inserts the documents whose id is not stored yet and returns the ids it inserted (for a batch on the session's connection).</summary>
    /// <remarks>A row another transaction inserted and has not committed yet makes this wait for it: stored once, whoever wins.</remarks>
    public NpgsqlBatchCommand InsertNewCommand(string tenant, IReadOnlyList<T> documents, Func<T, string> id) =>
        Insert(tenant, documents, id, $" on conflict ({Tenant}, id) do nothing returning id");

    /// <summary>The statement that inserts all documents (for a batch on a connection); an id that exists fails it (a unique violation).</summary>
    public NpgsqlBatchCommand InsertCommand(string tenant, IReadOnlyList<T> documents, Func<T, string> id) => Insert(tenant, documents, id, "");

    private NpgsqlBatchCommand Insert(string tenant, IReadOnlyList<T> documents, Func<T, string> id, string onConflict)
    {
        var (ids, json) = Serialise(documents, id);
        var command = new NpgsqlBatchCommand($"insert into {_table} ({Columns}) {Rows("$1", "$2", "$3", "$4")}{onConflict}");
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { Value = DotNetType });
        command.Parameters.Add(new NpgsqlParameter<string[]> { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { Value = json, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    /// <summary>Queues one statement that writes all documents (replacing stored ones), run by SaveChanges in its transaction.</summary>
    public void QueueUpsert(IDocumentSession session, IReadOnlyList<T> documents, Func<T, string> id)
    {
        if (documents.Count == 0) return;
        var (ids, json) = Serialise(documents, id);
        session.QueueSqlCommand($"insert into {_table} as t ({Columns}) {Rows("?", "?", "?", "?")} on conflict ({Tenant}, id) do update set " +
            $"data = excluded.data, {DotNetTypeColumn} = excluded.{DotNetTypeColumn}, {VersionColumn} = excluded.{VersionColumn}, {LastModifiedColumn} = excluded.{LastModifiedColumn}",
            session.TenantId, DotNetType, ids, json);
    }

    /// <summary>Queues one statement that inserts all documents; an id that exists fails the transaction (a unique violation).</summary>
    public void QueueInsert(IDocumentSession session, IReadOnlyList<T> documents, Func<T, string> id)
    {
        if (documents.Count == 0) return;
        var (ids, json) = Serialise(documents, id);
        session.QueueSqlCommand($"insert into {_table} ({Columns}) {Rows("?", "?", "?", "?")}", session.TenantId, DotNetType, ids, json);
    }
}
