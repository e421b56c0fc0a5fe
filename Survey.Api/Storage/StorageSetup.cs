using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.PostgreSql;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using JasperFx.Events.Projections;
using Marten;
using Survey.Api.Hosting;
using Survey.Api.Questionnaires;
using Survey.Domain.Questionnaires;
using Weasel.Core;

namespace Survey.Api.Storage;

public static class StorageSetup
{
    /// <summary>
    /// Marten (events + documents, conjoined tenancy) and Hangfire (own schema) on one PostgreSQL database:
    /// the configured <c>ConnectionStrings:Postgres</c>, or a private cluster started here.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Storage");
        var options = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = builder.Configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var embedded = EmbeddedPostgres.Start(Path.GetFullPath(options.EmbeddedDataDirectory));
            embedded.EnsureDatabase(options.EmbeddedDatabase);
            connectionString = embedded.ConnectionString(options.EmbeddedDatabase);
            Console.WriteLine($"Embedded PostgreSQL on 127.0.0.1:{embedded.Port}, data in {embedded.DataDirectory}");
            if (embedded.Relocation is { } relocation) Console.WriteLine($"Embedded PostgreSQL: {relocation}.");
            // Registered first, so it is stopped last: after Hangfire and Marten let go of their connections.
            builder.Services.AddSingleton(embedded);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
        }

        // Sessions leave no server-side state behind (no temp tables, prepared statements or settings), so a connection going
        // back to the pool needs no DISCARD ALL round trip. A configured connection string can still say otherwise.
        // (Marten's sessions only; Hangfire keeps the default, its long polling LISTENs on connections.)
        var pgBuilder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)) pgBuilder.NoResetOnClose = true;
        // ...so statements prepared on a connection survive too: Marten's few hot statements (event append, document upsert and
        // load) are prepared once per connection instead of parsed and planned on every call (measured in bench/experiments).
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) pgBuilder.MaxAutoPrepare = 50;
        var martenConnection = pgBuilder.ConnectionString;
        // Answer saves (SaveWriter) have their own pool whose sessions always use the generic plan of a prepared statement: its
        // few statements look rows up by primary key (`id = any($1)`) whatever the parameters, so re-planning them for every
        // batch (PostgreSQL's custom plans, a quarter of their server time at 8 clients) buys nothing. Only that pool: the
        // analytics queries keep custom plans.
        var savesBuilder = new Npgsql.NpgsqlConnectionStringBuilder(martenConnection);
        savesBuilder.Options = string.Join(' ', new[] { savesBuilder.Options, "-c plan_cache_mode=force_generic_plan" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        builder.Services.AddKeyedSingleton(Respondents.Answering.SaveWriter.DataSourceKey, (_, _) => Npgsql.NpgsqlDataSource.Create(savesBuilder.ConnectionString));
        // plain SQL outside Marten (the invitation due table) uses its own small pool on the same database
        builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(connectionString));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Tenancy>();
        builder.Services.AddMarten(marten =>
            {
                marten.Connection(martenConnection);
                marten.DatabaseSchemaName = options.Schema;
                marten.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                marten.Events.TenancyStyle = TenancyStyle.Conjoined;
                marten.Events.StreamIdentity = StreamIdentity.AsGuid;
                marten.Policies.AllDocumentsAreMultiTenanted();
                marten.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                QuestionnaireStore.Configure(marten);
                Respondents.RespondentSetup.ConfigureStore(marten);
                Operations.OperationsStore.Configure(marten);
                Triggers.TriggerStore.Configure(marten);
                Cases.CaseStore.Configure(marten);
                Analytics.AnalyticsSetup.ConfigureStore(marten);
                // Documents with no options of their own are registered too, so the startup migration creates their tables. Left to
                // Marten's lazy creation on first use, two nodes meeting a new type at once race on the same DDL and one of them
                // fails (seen in CI: the two-host dispatch test, both loading QuestionnaireEmailTemplates in their first batch).
                marten.RegisterDocumentTypes([
                    typeof(Operations.DealerRecord), typeof(Operations.RegionRecord), typeof(Invitations.QuestionnaireEmailTemplates),
                    typeof(Respondents.Distribution.WidgetKey), typeof(Respondents.Distribution.WidgetContact),
                ]);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // async projections (analytics); Solo by default: with several nodes, run it on one (Storage:ProjectionDaemon)
            .AddAsyncDaemon(options.ProjectionDaemon);
        builder.Services.AddHostedService<EventStoreSetup>();
        // Sessions always open for the caller's tenant.
        builder.Services.AddScoped<IDocumentSession>(sp => sp.GetRequiredService<IDocumentStore>().LightweightSession(sp.GetRequiredService<Tenancy>().TenantId));
        builder.Services.AddScoped<IQuerySession>(sp => sp.GetRequiredService<IDocumentStore>().QuerySession(sp.GetRequiredService<Tenancy>().TenantId));

        builder.Services.AddHangfire((services, hangfire) => hangfire
            .UseLogProvider(new HangfireLogs(services.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(pg => pg.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = options.HangfireSchema,
                    PrepareSchemaIfNecessary = true,
                    // LISTEN/NOTIFY wakes a worker as soon as a job is enqueued; polling stays as the fallback
                    EnableLongPolling = true,
                    QueuePollInterval = TimeSpan.FromSeconds(5),
                    // a long job keeps its claim alive instead of being re-run by another worker after the invisibility timeout
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromMinutes(5),
                }));
        if (options.RunJobServer)
            builder.Services.AddHangfireServer(server =>
            {
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                server.WorkerCount = options.JobWorkers;
            });
        return builder;
    }

    public static JsonSerializerOptions ApplyApiJson(this JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        return json;
    }
}

/// <summary>Stops the embedded cluster when the host shuts down.</summary>
internal sealed class EmbeddedPostgresLifetime(EmbeddedPostgres postgres) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken)
    {
        postgres.Stop();
        return Task.CompletedTask;
    }
}

/// <summary>
/// What the set-based writers of the event store need besides Marten's schema: the function the answer-save batch asserts
/// with (<see cref="Respondents.Answering.SaveBatchSql.ExpectRowsDdl"/>), and room on the pages of the two rows every answer save
/// rewrites, so that the rewrite, which changes no indexed column, puts the row's new version on its own page without new index
/// entries (a HOT update): <c>mt_streams</c> (the stream version; fillfactor 80) and <c>mt_doc_response</c> (the Response
/// document, about 2 KB; fillfactor 70, room for one more version on a page of four). With full pages each of those updates
/// also inserted into every index of the table, and wrote those index pages to the WAL. Run at start-up after Marten has made
/// its schema (registered after it); applies to the pages written from then on.
/// </summary>
internal sealed class EventStoreSetup(Npgsql.NpgsqlDataSource database, Microsoft.Extensions.Options.IOptions<StorageOptions> storage) : IHostedService
{
    /// <summary>The tables given room on their pages, with how full a page is filled.</summary>
    public static readonly (string Table, int FillFactor)[] Rewritten = [("mt_streams", 80), ("mt_doc_response", 70)];

    public async Task StartAsync(CancellationToken ct)
    {
        var schema = storage.Value.Schema;
        // one transaction (the statements of one command), one node at a time: two nodes starting together would otherwise race
        // on replacing the same function
        var sql = new System.Text.StringBuilder($"select pg_advisory_xact_lock(hashtext('{schema}.mt_streams setup'));\n")
            .Append(Respondents.Answering.SaveBatchSql.ExpectRowsDdl(schema));
        foreach (var (name, fillFactor) in Rewritten) sql.Append('\n').Append(FillFactorDdl($"{schema}.{name}", fillFactor));
        await using var command = database.CreateCommand(sql.ToString());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>DDL that leaves room on a table's pages (fillfactor), only when it is not set so already (no lock otherwise).</summary>
    public static string FillFactorDdl(string table, int fillFactor) => $"""
        do $$ begin
          if not coalesce((select reloptions @> array['fillfactor={fillFactor}'] from pg_class where oid = '{table}'::regclass), false)
          then alter table {table} set (fillfactor = {fillFactor}); end if;
        end $$;
        """;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
