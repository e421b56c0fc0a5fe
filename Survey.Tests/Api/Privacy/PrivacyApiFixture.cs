using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Survey.Api.Operations.Ingesting;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Privacy;

/// <summary>
/// The API with an outbox folder, no fatigue limit and every log line kept.
/// </summary>
public sealed class PrivacyApiFixture : ApiFixture
{
    public string Outbox { get; } = Directory.CreateTempSubdirectory("survey-privacy-outbox-").FullName;
    public ConcurrentQueue<string> Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Channels:OutboxDirectory"] = Outbox,
        ["Respondents:PublicBaseUrl"] = "https://survey.example.cn",
        ["Triggers:OneInvitationPerDays"] = "0",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new KeepingLoggerProvider(Logs)));
    }

    /// <summary>A client signed in (development sign-in) with this role in the default tenant.</summary>
    public HttpClient ClientAs(string role) => role.StartsWith("dealer", StringComparison.Ordinal) ? ClientFor(role, dealer: "SH-PD-01") : ClientFor(role);

    public async Task<IngestResult> Ingest(HttpClient client, string key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return await (await client.SendAsync(request)).Read<IngestResult>();
    }

    /// <summary>
    /// Every text, json, jsonb or bytea column of every table of every schema in this test's database, as text, that contains
    /// one of <paramref name="needles"/> (case-insensitive): "schema.table.column: value…".
    /// </summary>
    public async Task<List<string>> RawScan(params string[] needles)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Schema, string Table, string Column, string Type)>();
        await using (var command = new NpgsqlCommand("""
            select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
            where c.table_schema not in ('pg_catalog', 'information_schema') and c.data_type in ('text', 'json', 'jsonb', 'character varying', 'character', 'bytea', 'ARRAY')
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        columns.Count.ShouldBeGreaterThan(10);
        var hits = new List<string>();
        foreach (var (schema, table, column, type) in columns)
        {
            var value = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
            await using var command = new NpgsqlCommand(
                $"select {value} from \"{schema}\".\"{table}\" where {value} ilike any(@needles)", connection);
            command.Parameters.AddWithValue("needles", needles.Select(n => "%" + n.Replace("%", "\\%").Replace("_", "\\_") + "%").ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) hits.Add($"{schema}.{table}.{column}: {reader.GetString(0)[..Math.Min(200, reader.GetString(0).Length)]}");
        }
        return hits;
    }

    /// <summary>Every sealed value (<c>pd1:…</c>) stored anywhere in the Marten schema.</summary>
    public async Task<List<string>> SealedValues()
    {
        var text = await TestPostgres.TextAsync(ConnectionString, """
            select string_agg(m[1], E'\n') from (
              select regexp_matches(data::text, 'pd1:[A-Za-z0-9+/=]+', 'g') m from survey.mt_events
              union all select regexp_matches(data::text, 'pd1:[A-Za-z0-9+/=]+', 'g') from survey.mt_doc_response
              union all select regexp_matches(data::text, 'pd1:[A-Za-z0-9+/=]+', 'g') from survey.mt_doc_customerrecord) x
            """);
        return (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
    }
}

internal sealed class KeepingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);
    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
