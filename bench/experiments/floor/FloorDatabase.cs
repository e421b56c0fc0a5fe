using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Floor;

/// <summary>
/// The tables, named so that bench/SaveLoad's checks read them unchanged: a save is one row in <c>survey.mt_events</c>
/// (type <c>response_answers_saved</c>, the request body as jsonb) whose primary key (response id, sequence) makes a retry a
/// no-op; a started response is one row in <c>survey.mt_streams</c>. No foreign key from events to streams (its check would
/// lock the stream row, which writes WAL): the insert reads the stream's primary key instead.
/// </summary>
public sealed class FloorDatabase(NpgsqlDataSource db)
{
    public const string SaveSql =
        "insert into survey.mt_events (stream_id, version, type, data) " +
        "select $1, $2, 'response_answers_saved', $3 where exists (select from survey.mt_streams where id = $1) " +
        "on conflict do nothing";

    private readonly ConcurrentDictionary<string, Guid> _links = new(); // a link never changes once made

    public NpgsqlDataSource DataSource => db;

    public async Task CreateSchema()
    {
        await using var cmd = db.CreateCommand("""
            create schema if not exists survey;
            create table if not exists survey.questionnaires (id uuid primary key, definition jsonb not null, version int);
            create table if not exists survey.links (id text primary key, questionnaire_id uuid not null references survey.questionnaires (id));
            create table if not exists survey.mt_streams (
                id uuid primary key, type text not null, questionnaire_id uuid not null, version int not null, link_id text not null,
                locale text, channel text not null, device text, page_url text, timestamp timestamptz not null default now());
            create table if not exists survey.mt_events (
                stream_id uuid not null, version int not null, type text not null, data jsonb not null,
                timestamp timestamptz not null default now(), primary key (stream_id, version));
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<bool> Healthy(CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand("select 1");
            return await cmd.ExecuteScalarAsync(ct) is 1;
        }
        catch (NpgsqlException) { return false; }
    }

    /// <summary>One statement, its own transaction: true when the save was inserted now.</summary>
    public async Task<bool> InsertSave(Guid responseId, int sequence, string body, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(SaveSql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = responseId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sequence });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = body, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> ResponseExists(Guid responseId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select exists (select from survey.mt_streams where id = $1)");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = responseId });
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The questionnaire a link opens (cached per node: links are immutable), or null.</summary>
    public async Task<Guid?> QuestionnaireOfLink(string linkId, CancellationToken ct)
    {
        if (_links.TryGetValue(linkId, out var cached)) return cached;
        await using var cmd = db.CreateCommand("select questionnaire_id from survey.links where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = linkId });
        if (await cmd.ExecuteScalarAsync(ct) is not Guid questionnaire) return null;
        _links.TryAdd(linkId, questionnaire);
        return questionnaire;
    }

    /// <summary>True when the response was started now, false when it already existed.</summary>
    public async Task<bool> InsertStart(Guid responseId, Guid questionnaireId, string linkId, StartRequest r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "insert into survey.mt_streams (id, type, questionnaire_id, version, link_id, locale, channel, device, page_url) " +
            "values ($1, 'response', $2, 1, $3, $4, $5, $6, $7) on conflict (id) do nothing");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = responseId });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = questionnaireId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = linkId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Locale ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.Channel ?? "web" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Device ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.PageUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}

public static class FloorDatabaseSetup
{
    /// <summary>
    /// <c>ConnectionStrings:Postgres</c> (what bench/SaveLoad passes); statements prepared after their second use and kept
    /// across pooled connections unless the connection string says otherwise. <c>Floor:Mode</c> = <c>single</c> (default: one
    /// insert per request) or <c>group</c> (saves arriving together share one statement and commit, <c>Floor:Writers</c>
    /// writers, at most <c>Floor:BatchSize</c> saves each).
    /// </summary>
    public static IServiceCollection AddFloorDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString)) throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = connectionString.Replace(" ", "", StringComparison.Ordinal);
        if (!given.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)) builder.ConnectionStringBuilder.MaxAutoPrepare = 20;
        if (!given.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase)) builder.ConnectionStringBuilder.NoResetOnClose = true;
        var dataSource = builder.Build();
        services.AddSingleton(dataSource);
        services.AddSingleton<FloorDatabase>();

        var mode = configuration["Floor:Mode"] ?? "single";
        if (mode == "group")
        {
            var writers = configuration.GetValue("Floor:Writers", 2);
            var batch = configuration.GetValue("Floor:BatchSize", 64);
            services.AddSingleton(sp => new GroupCommit(dataSource, writers, batch));
            services.AddSingleton<ISaveAppender>(sp => sp.GetRequiredService<GroupCommit>());
            services.AddHostedService(sp => sp.GetRequiredService<GroupCommit>());
        }
        else if (mode == "single") services.AddSingleton<ISaveAppender, SingleInsert>();
        else throw new InvalidOperationException($"Floor:Mode is single or group, not '{mode}'.");
        return services;
    }
}
