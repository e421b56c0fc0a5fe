using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Privacy;
using Survey.Domain.Operations;

namespace IngestFloor;

/// <summary>
/// What both database variants share: a few dedicated connections (one per batch in flight, each with its temporary staging
/// tables, emptied at commit), and a batch's shape. Per batch, one transaction: (1) binary COPY of the events into staging;
/// (2) one round trip of three statements: the customers' advisory locks (as the product takes them), <c>insert ... select
/// from staging on conflict do nothing returning</c> (the fresh events), the customers with their wrapped keys by primary-key
/// look-ups; (3) merge and seal in memory; (4) binary COPY of the changed customers into staging and of the new keys straight
/// into their table (a key id that exists fails the batch, as the product's insert does); (5) the customers' upsert from
/// staging, then COMMIT.
/// </summary>
public abstract class SqlStore : IBatchStore, IAsyncDisposable
{
    protected const string Lock =
        "select count(pg_advisory_xact_lock(k)) from (select distinct hashtextextended($1 || '/' || c, 0) as k from unnest($2::text[]) as c order by k) as locks";
    private readonly Channel<NpgsqlConnection> _connections = System.Threading.Channels.Channel.CreateUnbounded<NpgsqlConnection>();
    private readonly List<NpgsqlConnection> _all = [];
    protected readonly NpgsqlDataSource Database;

    protected SqlStore(NpgsqlDataSource database) => Database = database;

    /// <summary>The PostgreSQL backends serving the batches (their CPU is the statements'; the rest of the cluster's is background work).</summary>
    public List<int> BackendPids { get; } = [];

    /// <summary>Where the thread CPU of writing COPY rows is counted.</summary>
    public Phases Phases { get; set; } = new();

    public abstract string Name { get; }
    protected abstract string StagingDdl { get; }
    protected abstract string[] Tables { get; }

    public async Task Open(int connections)
    {
        for (var i = 0; i < connections; i++)
        {
            var connection = await Database.OpenConnectionAsync();
            await using (var ddl = new NpgsqlCommand(StagingDdl, connection)) await ddl.ExecuteNonQueryAsync();
            BackendPids.Add(connection.ProcessID);
            _all.Add(connection);
            _connections.Writer.TryWrite(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _all) await connection.DisposeAsync();
    }

    public async Task<IBatchTransaction> Begin(string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, DateTimeOffset now)
    {
        var connection = await _connections.Reader.ReadAsync();
        var transaction = await connection.BeginTransactionAsync();
        try
        {
            await CopyEvents(connection, tenant, items, now);
            var customerIds = items.Select(i => i.Customer.ExternalId).Distinct().ToArray();
            var lockCommand = new NpgsqlBatchCommand(Lock);
            lockCommand.Parameters.Add(new NpgsqlParameter<string> { Value = "customer/" + tenant });
            lockCommand.Parameters.Add(new NpgsqlParameter<string[]> { Value = customerIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { lockCommand, InsertEvents(tenant, now, items), LoadCustomers(tenant, customerIds) } };
            await using var reader = await batch.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
            await reader.NextResultAsync();
            var inserted = new HashSet<string>(items.Count);
            while (await reader.ReadAsync()) inserted.Add(reader.GetString(0));
            await reader.NextResultAsync();
            var wanted = items.Where(i => inserted.Contains(i.Event.ExternalId)).Select(i => i.Customer.ExternalId).ToHashSet();
            var customers = new Dictionary<string, StoredCustomer>(wanted.Count);
            while (await reader.ReadAsync())
            {
                var id = reader.GetString(0);
                if (!wanted.Contains(id)) continue;
                if (ReadCustomer(reader) is { } stored) customers[id] = stored;
            }
            return new Transaction(this, connection, transaction, tenant, inserted, customers);
        }
        catch
        {
            await transaction.DisposeAsync();
            _connections.Writer.TryWrite(connection);
            throw;
        }
    }

    protected abstract Task CopyEvents(NpgsqlConnection connection, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, DateTimeOffset now);
    protected abstract NpgsqlBatchCommand InsertEvents(string tenant, DateTimeOffset now, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items);
    /// <summary>Rows of (id, ...) for <see cref="ReadCustomer"/>, one per id.</summary>
    protected abstract NpgsqlBatchCommand LoadCustomers(string tenant, string[] ids);
    /// <summary>The stored customer of a row of <see cref="LoadCustomers"/>, or null when it is new.</summary>
    protected abstract StoredCustomer? ReadCustomer(NpgsqlDataReader reader);
    protected abstract Task CopyCustomersAndKeys(NpgsqlConnection connection, string tenant, IReadOnlyList<CustomerRecord> customers, IReadOnlyList<DataKey> newKeys);
    protected abstract string UpsertCustomers { get; }
    /// <summary>Parameters of <see cref="UpsertCustomers"/> after the tenant ($1): none when the customers come from staging.</summary>
    protected virtual void AddCustomerParameters(NpgsqlCommand command, IReadOnlyList<CustomerRecord> customers) { }

    private sealed class Transaction(SqlStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant,
        HashSet<string> inserted, Dictionary<string, StoredCustomer> customers) : IBatchTransaction
    {
        public HashSet<string> Inserted => inserted;
        public Dictionary<string, StoredCustomer> Customers => customers;

        public async Task Commit(IReadOnlyList<CustomerRecord> records, IReadOnlyList<DataKey> newKeys)
        {
            await store.CopyCustomersAndKeys(connection, tenant, records, newKeys);
            if (records.Count > 0)
            {
                await using var upsert = new NpgsqlCommand(store.UpsertCustomers, connection, transaction);
                upsert.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
                store.AddCustomerParameters(upsert, records);
                await upsert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync(); // rolls back when not committed
            store._connections.Writer.TryWrite(connection);
        }
    }

    public async Task Clear()
    {
        await using var command = Database.CreateCommand($"truncate {string.Join(", ", Tables)}");
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<long> Scalar(string sql, string tenant)
    {
        await using var command = Database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public abstract Task<(long Events, long Customers, long Keys)> Counts(string tenant);

    /// <summary>The plan of the customers' read for these ids (EXPLAIN ANALYZE), to see it looks each one up by its key.</summary>
    public async Task<string> ExplainLoad(string tenant, string[] ids)
    {
        var load = LoadCustomers(tenant, ids);
        await using var command = Database.CreateCommand("explain (analyze, costs off, timing off, summary on) " + load.CommandText);
        foreach (NpgsqlParameter p in load.Parameters) command.Parameters.Add(p.Clone());
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new System.Text.StringBuilder();
        while (await reader.ReadAsync()) plan.AppendLine(reader.GetString(0));
        return plan.ToString();
    }

    public async Task<Dictionary<string, StoredCustomer>> Read(string tenant, IReadOnlyList<string> ids)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { LoadCustomers(tenant, ids.ToArray()) } };
        await using var reader = await batch.ExecuteReaderAsync();
        var found = new Dictionary<string, StoredCustomer>();
        while (await reader.ReadAsync())
            if (ReadCustomer(reader) is { } stored) found[reader.GetString(0)] = stored;
        return found;
    }
}

/// <summary>
/// Variant (b): lean typed tables. Events: typed columns, attributes as jsonb, primary key (tenant, external id), indexes by
/// customer and by occurred time. Customers: sealed fields as text, consents as jsonb, primary key (tenant, external id), the
/// three blind indexes (partial: only rows that have one). Data keys: primary key, subject (erasure), item time (retention,
/// partial). Nothing else: no .NET type, version or last-modified columns, no JSON of the whole record.
/// </summary>
public sealed class LeanStore(NpgsqlDataSource database, bool direct = false) : SqlStore(database)
{
    public const string Ddl = """
        create table if not exists lean_events (tenant_id text not null, external_id text not null, type text not null, occurred_at timestamptz not null,
          customer_external_id text not null, dealer_code text, attributes jsonb not null, source text not null, received_at timestamptz not null,
          primary key (tenant_id, external_id));
        create index if not exists lean_events_customer on lean_events (tenant_id, customer_external_id);
        create index if not exists lean_events_occurred on lean_events (tenant_id, occurred_at);
        create table if not exists lean_customers (tenant_id text not null, external_id text not null, name text, email text, mobile text, wechat_open_id text,
          consents jsonb not null, preferred_language text, time_zone text, opted_out boolean not null, updated_at timestamptz not null,
          email_index text, mobile_index text, wechat_index text, primary key (tenant_id, external_id));
        create index if not exists lean_customers_email on lean_customers (tenant_id, email_index) where email_index is not null;
        create index if not exists lean_customers_mobile on lean_customers (tenant_id, mobile_index) where mobile_index is not null;
        create index if not exists lean_customers_wechat on lean_customers (tenant_id, wechat_index) where wechat_index is not null;
        create table if not exists lean_data_keys (tenant_id text not null, id text not null, subject text not null, wrapped text not null,
          created_at timestamptz not null, item_at timestamptz, primary key (tenant_id, id));
        create index if not exists lean_data_keys_subject on lean_data_keys (tenant_id, subject);
        create index if not exists lean_data_keys_item_at on lean_data_keys (tenant_id, item_at) where item_at is not null;
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
    private const string CustomerColumns = "external_id, name, email, mobile, wechat_open_id, consents, preferred_language, time_zone, opted_out, updated_at, email_index, mobile_index, wechat_index";

    public override string Name => direct ? "(d) = (b) with the rows sent as arrays (`unnest`) instead of COPY to staging" : "(b) binary COPY to staging, set-based insert into lean typed tables";
    protected override string[] Tables => ["lean_events", "lean_customers", "lean_data_keys"];
    protected override string StagingDdl => """
        create temp table stage_events (external_id text, type text, occurred_at timestamptz, customer_external_id text, dealer_code text, attributes jsonb) on commit delete rows;
        create temp table stage_customers (external_id text, name text, email text, mobile text, wechat_open_id text, consents jsonb, preferred_language text,
          time_zone text, opted_out boolean, updated_at timestamptz, email_index text, mobile_index text, wechat_index text) on commit delete rows;
        """;

    protected override async Task CopyEvents(NpgsqlConnection connection, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, DateTimeOffset now)
    {
        if (direct) return; // the rows go with the insert
        await using var copy = await connection.BeginBinaryImportAsync("copy stage_events (external_id, type, occurred_at, customer_external_id, dealer_code, attributes) from stdin (format binary)");
        var copyStart = Phases.ThreadCpuNs();
        foreach (var (e, _) in items)
        {
            copy.StartRow();
            copy.Write(e.ExternalId, NpgsqlDbType.Text);
            copy.Write(e.Type, NpgsqlDbType.Text);
            copy.Write(e.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            copy.Write(e.CustomerExternalId, NpgsqlDbType.Text);
            if (e.DealerCode is null) copy.WriteNull(); else copy.Write(e.DealerCode, NpgsqlDbType.Text);
            copy.Write(JsonSerializer.Serialize(e.Attributes, Json), NpgsqlDbType.Jsonb);
        }
        Phases.AddCopy(Phases.ThreadCpuNs() - copyStart);
        await copy.CompleteAsync();
    }

    protected override NpgsqlBatchCommand InsertEvents(string tenant, DateTimeOffset now, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items)
    {
        if (direct)
        {
            var phaseStart = Phases.ThreadCpuNs();
            var insert = new NpgsqlBatchCommand("""
                insert into lean_events (tenant_id, external_id, type, occurred_at, customer_external_id, dealer_code, attributes, source, received_at)
                select $1, u.external_id, u.type, u.occurred_at, u.customer_external_id, u.dealer_code, u.attributes, 'csv', $2
                from unnest($3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::jsonb[]) as u(external_id, type, occurred_at, customer_external_id, dealer_code, attributes)
                order by u.external_id
                on conflict (tenant_id, external_id) do nothing returning external_id
                """);
            insert.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            Texts(insert, items.Select(i => i.Event.ExternalId));
            Texts(insert, items.Select(i => i.Event.Type));
            insert.Parameters.Add(new NpgsqlParameter<DateTime[]> { Value = items.Select(i => i.Event.OccurredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            Texts(insert, items.Select(i => i.Event.CustomerExternalId));
            Texts(insert, items.Select(i => i.Event.DealerCode));
            Texts(insert, items.Select(i => JsonSerializer.Serialize(i.Event.Attributes, Json)), NpgsqlDbType.Jsonb);
            Phases.AddCopy(Phases.ThreadCpuNs() - phaseStart);
            return insert;
        }
        var command = new NpgsqlBatchCommand("""
            insert into lean_events (tenant_id, external_id, type, occurred_at, customer_external_id, dealer_code, attributes, source, received_at)
            select $1, s.external_id, s.type, s.occurred_at, s.customer_external_id, s.dealer_code, s.attributes, 'csv', $2 from stage_events s order by s.external_id
            on conflict (tenant_id, external_id) do nothing returning external_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }

    protected override NpgsqlBatchCommand LoadCustomers(string tenant, string[] ids)
    {
        var command = new NpgsqlBatchCommand($"""
            select u.id, c.name, c.email, c.mobile, c.wechat_open_id, c.consents::text, c.preferred_language, c.time_zone, c.opted_out, c.updated_at,
              c.email_index, c.mobile_index, c.wechat_index, k.wrapped, c.external_id is not null
            from unnest($1::text[]) as u(id)
            left join lateral (select * from lean_customers c where c.tenant_id = $2 and c.external_id = u.id limit 1) c on true
            left join lateral (select k.wrapped from lean_data_keys k where k.tenant_id = $2 and k.id = 'customer:' || u.id limit 1) k on true
            """);
        // "limit 1" keeps each lateral subquery from being pulled up into a join: without it the plan hashed every customer and key
        // of the tenant for each batch (EXPLAIN, --explain), as IngestBatchSql found for its joins; with it, one primary-key look-up each
        command.Parameters.Add(new NpgsqlParameter<string[]> { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        return command;
    }

    protected override StoredCustomer? ReadCustomer(NpgsqlDataReader r)
    {
        var found = r.GetBoolean(14);
        var wrapped = r.IsDBNull(13) ? null : r.GetString(13);
        if (!found && wrapped is null) return null;
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        CustomerRecord? record = null;
        if (found)
        {
            var id = r.GetString(0);
            var consents = JsonSerializer.Deserialize<List<Consent>>(r.GetString(5), Json)!;
            record = new CustomerRecord(id, new Customer(id, S(1), S(2), S(3), S(4), consents, S(6), S(7), r.GetBoolean(8)),
                r.GetFieldValue<DateTimeOffset>(9), S(10), S(11), S(12));
        }
        return new StoredCustomer(record, wrapped);
    }

    protected override async Task CopyCustomersAndKeys(NpgsqlConnection connection, string tenant, IReadOnlyList<CustomerRecord> customers, IReadOnlyList<DataKey> newKeys)
    {
        void Text(NpgsqlBinaryImporter copy, string? value) { if (value is null) copy.WriteNull(); else copy.Write(value, NpgsqlDbType.Text); }
        if (customers.Count > 0 && !direct)
        {
            await using var copy = await connection.BeginBinaryImportAsync($"copy stage_customers ({CustomerColumns}) from stdin (format binary)");
            var copyStart = Phases.ThreadCpuNs();
            foreach (var r in customers)
            {
                var c = r.Customer;
                copy.StartRow();
                copy.Write(r.Id, NpgsqlDbType.Text);
                Text(copy, c.Name); Text(copy, c.Email); Text(copy, c.Mobile); Text(copy, c.WeChatOpenId);
                copy.Write(JsonSerializer.Serialize(c.Consents, Json), NpgsqlDbType.Jsonb);
                Text(copy, c.PreferredLanguage); Text(copy, c.TimeZone);
                copy.Write(c.OptedOut, NpgsqlDbType.Boolean);
                copy.Write(r.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                Text(copy, r.EmailIndex); Text(copy, r.MobileIndex); Text(copy, r.WeChatIndex);
            }
            Phases.AddCopy(Phases.ThreadCpuNs() - copyStart);
            await copy.CompleteAsync();
        }
        if (newKeys.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("copy lean_data_keys (tenant_id, id, subject, wrapped, created_at, item_at) from stdin (format binary)");
            var copyStart = Phases.ThreadCpuNs();
            foreach (var k in newKeys)
            {
                copy.StartRow();
                copy.Write(tenant, NpgsqlDbType.Text);
                copy.Write(k.Id, NpgsqlDbType.Text);
                copy.Write(k.Subject, NpgsqlDbType.Text);
                copy.Write(k.Wrapped, NpgsqlDbType.Text);
                copy.Write(k.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                if (k.ItemAt is { } at) copy.Write(at.UtcDateTime, NpgsqlDbType.TimestampTz); else copy.WriteNull();
            }
            Phases.AddCopy(Phases.ThreadCpuNs() - copyStart);
            await copy.CompleteAsync();
        }
    }

    private static void Texts(NpgsqlBatchCommand command, IEnumerable<string?> values, NpgsqlDbType type = NpgsqlDbType.Text) =>
        command.Parameters.Add(new NpgsqlParameter<string?[]> { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });
    private static void Texts(NpgsqlCommand command, IEnumerable<string?> values, NpgsqlDbType type = NpgsqlDbType.Text) =>
        command.Parameters.Add(new NpgsqlParameter<string?[]> { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });

    protected override void AddCustomerParameters(NpgsqlCommand command, IReadOnlyList<CustomerRecord> customers)
    {
        if (!direct) return;
        var phaseStart = Phases.ThreadCpuNs();
        Texts(command, customers.Select(r => r.Id));
        Texts(command, customers.Select(r => r.Customer.Name));
        Texts(command, customers.Select(r => r.Customer.Email));
        Texts(command, customers.Select(r => r.Customer.Mobile));
        Texts(command, customers.Select(r => r.Customer.WeChatOpenId));
        Texts(command, customers.Select(r => JsonSerializer.Serialize(r.Customer.Consents, Json)), NpgsqlDbType.Jsonb);
        Texts(command, customers.Select(r => r.Customer.PreferredLanguage));
        Texts(command, customers.Select(r => r.Customer.TimeZone));
        command.Parameters.Add(new NpgsqlParameter<bool[]> { Value = customers.Select(r => r.Customer.OptedOut).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { Value = customers.Select(r => r.UpdatedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        Texts(command, customers.Select(r => r.EmailIndex));
        Texts(command, customers.Select(r => r.MobileIndex));
        Texts(command, customers.Select(r => r.WeChatIndex));
        Phases.AddCopy(Phases.ThreadCpuNs() - phaseStart);
    }

    private const string CustomerArrays = "unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::boolean[], $11::timestamptz[], $12::text[], $13::text[], $14::text[])";

    protected override string UpsertCustomers => $"""
        insert into lean_customers (tenant_id, {CustomerColumns}) select $1, {CustomerColumns} from {(direct ? CustomerArrays + $" as s({CustomerColumns})" : "stage_customers")} order by external_id
        on conflict (tenant_id, external_id) do update set name = excluded.name, email = excluded.email, mobile = excluded.mobile,
          wechat_open_id = excluded.wechat_open_id, consents = excluded.consents, preferred_language = excluded.preferred_language,
          time_zone = excluded.time_zone, opted_out = excluded.opted_out, updated_at = excluded.updated_at, email_index = excluded.email_index,
          mobile_index = excluded.mobile_index, wechat_index = excluded.wechat_index
        """;

    public override async Task<(long Events, long Customers, long Keys)> Counts(string tenant) => (
        await Scalar("select count(*) from lean_events where tenant_id = $1", tenant),
        await Scalar("select count(*) from lean_customers where tenant_id = $1", tenant),
        await Scalar("select count(*) from lean_data_keys where tenant_id = $1", tenant));
}

/// <summary>
/// Variant (c): the same path into Marten's own tables (<c>mt_doc_operationaleventrecord</c>, <c>mt_doc_customerrecord</c>,
/// <c>mt_doc_datakey</c>) with the indexes the product configures, rows as Marten writes them (Marten's serializer, tenant,
/// .NET type, version, last-modified), and the customers read as <c>IngestBatchSql</c> reads them.
/// </summary>
public sealed class MartenStore(NpgsqlDataSource database, IDocumentStore store) : SqlStore(database)
{
    private readonly ISerializer _serializer = store.Options.Serializer();
    private readonly string _schema = store.Options.DatabaseSchemaName;
    private const string Columns = "id, data, tenant_id, mt_dotnet_type, mt_version, mt_last_modified";

    public override string Name => "(c) binary COPY to staging, set-based insert into Marten's jsonb tables";
    protected override string[] Tables => [$"{_schema}.mt_doc_operationaleventrecord", $"{_schema}.mt_doc_customerrecord", $"{_schema}.mt_doc_datakey"];
    protected override string StagingDdl => """
        create temp table stage_documents (id text, data jsonb) on commit delete rows;
        create temp table stage_customer_documents (id text, data jsonb) on commit delete rows;
        """;

    protected override async Task CopyEvents(NpgsqlConnection connection, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, DateTimeOffset now)
    {
        await using var copy = await connection.BeginBinaryImportAsync("copy stage_documents (id, data) from stdin (format binary)");
        var copyStart = Phases.ThreadCpuNs();
        foreach (var (e, _) in items)
        {
            copy.StartRow();
            copy.Write(e.ExternalId, NpgsqlDbType.Text);
            copy.Write(_serializer.ToJson(new OperationalEventRecord(e.ExternalId, e, "csv", now)), NpgsqlDbType.Jsonb);
        }
        Phases.AddCopy(Phases.ThreadCpuNs() - copyStart);
        await copy.CompleteAsync();
    }

    protected override NpgsqlBatchCommand InsertEvents(string tenant, DateTimeOffset now, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items)
    {
        var command = new NpgsqlBatchCommand($"""
            insert into {_schema}.mt_doc_operationaleventrecord ({Columns})
            select s.id, s.data, $1, $2, gen_random_uuid(), transaction_timestamp() from stage_documents s order by s.id
            on conflict (tenant_id, id) do nothing returning id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { Value = typeof(OperationalEventRecord).FullName! });
        return command;
    }

    protected override NpgsqlBatchCommand LoadCustomers(string tenant, string[] ids)
    {
        // IngestBatchSql's statement
        var command = new NpgsqlBatchCommand($"select u.id, (select c.data from {_schema}.mt_doc_customerrecord c where c.tenant_id = $2 and c.id = u.id), " +
            $"(select k.data ->> 'wrapped' from {_schema}.mt_doc_datakey k where k.tenant_id = $2 and k.id = 'customer:' || u.id) " +
            "from unnest($1::text[]) as u(id)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        return command;
    }

    protected override StoredCustomer? ReadCustomer(NpgsqlDataReader reader) =>
        reader.IsDBNull(1) && reader.IsDBNull(2) ? null
            : new StoredCustomer(reader.IsDBNull(1) ? null : _serializer.FromJson<CustomerRecord>(reader, 1), reader.IsDBNull(2) ? null : reader.GetString(2));

    protected override async Task CopyCustomersAndKeys(NpgsqlConnection connection, string tenant, IReadOnlyList<CustomerRecord> customers, IReadOnlyList<DataKey> newKeys)
    {
        if (customers.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("copy stage_customer_documents (id, data) from stdin (format binary)");
            var copyStart = Phases.ThreadCpuNs();
            foreach (var c in customers)
            {
                copy.StartRow();
                copy.Write(c.Id, NpgsqlDbType.Text);
                copy.Write(_serializer.ToJson(c), NpgsqlDbType.Jsonb);
            }
            Phases.AddCopy(Phases.ThreadCpuNs() - copyStart);
            await copy.CompleteAsync();
        }
        if (newKeys.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync($"copy {_schema}.mt_doc_datakey ({Columns}) from stdin (format binary)");
            var modified = DateTime.UtcNow;
            var copyStart = Phases.ThreadCpuNs();
            foreach (var k in newKeys)
            {
                copy.StartRow();
                copy.Write(k.Id, NpgsqlDbType.Text);
                copy.Write(_serializer.ToJson(k), NpgsqlDbType.Jsonb);
                copy.Write(tenant, NpgsqlDbType.Text);
                copy.Write(typeof(DataKey).FullName!, NpgsqlDbType.Varchar);
                copy.Write(Guid.NewGuid(), NpgsqlDbType.Uuid);
                copy.Write(modified, NpgsqlDbType.TimestampTz);
            }
            Phases.AddCopy(Phases.ThreadCpuNs() - copyStart);
            await copy.CompleteAsync();
        }
    }

    protected override string UpsertCustomers => $"""
        insert into {_schema}.mt_doc_customerrecord as t ({Columns})
        select s.id, s.data, $1, '{typeof(CustomerRecord).FullName}', gen_random_uuid(), transaction_timestamp() from stage_customer_documents s order by s.id
        on conflict (tenant_id, id) do update set data = excluded.data, mt_dotnet_type = excluded.mt_dotnet_type, mt_version = excluded.mt_version,
          mt_last_modified = excluded.mt_last_modified
        """;

    public override async Task<(long Events, long Customers, long Keys)> Counts(string tenant) => (
        await Scalar($"select count(*) from {_schema}.mt_doc_operationaleventrecord where tenant_id = $1", tenant),
        await Scalar($"select count(*) from {_schema}.mt_doc_customerrecord where tenant_id = $1", tenant),
        await Scalar($"select count(*) from {_schema}.mt_doc_datakey where tenant_id = $1", tenant));
}
