using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Operations;

public class IngestingEventsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<string> Key()
    {
        var key = await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("DMS connector"))).Read<NewApiKey>(HttpStatusCode.Created);
        key.Key.ShouldStartWith($"sk_{key.Id}_");
        return key.Key;
    }

    private Task<HttpResponseMessage> Ingest(string? key, string json, string url = "/api/ingest/events", string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return _client.SendAsync(request);
    }

    private static string Event(string id, string mobile = "13812345678", string email = "wang.wei@example.cn", string type = "service.completed") => $$"""
        { "externalId": "{{id}}", "type": "{{type}}", "occurredAt": "2026-11-01T16:40:00+08:00", "dealerCode": "SH-PD-01",
          "customer": { "externalId": "C-{{id}}", "name": "王伟", "mobile": "{{mobile}}", "email": "{{email}}", "preferredLanguage": "zh-CN",
                        "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "dealer-counter" } ] },
          "attributes": { "vehicleModel": "A6L", "advisor": "李娜" } }
        """;

    [Fact]
    public async Task A_batch_keeps_good_events_reports_bad_ones_and_a_resend_stores_nothing_twice()
    {
        var key = await Key();
        var batch = $$"""{ "events": [ {{Event("RO-1")}}, {{Event("RO-2", mobile: "12345")}}, {{Event("RO-3", email: "not-an-email")}}, {{Event("RO-4", type: "")}}, {{Event("RO-5", mobile: "+1 415 555 2671")}}, { "externalId": "RO-6", "occurredAt": "yesterday" } ] }""";
        var result = await (await Ingest(key, batch)).Read<IngestResult>();
        result.Accepted.ShouldBe(2);
        result.Duplicates.ShouldBe(0);
        result.Rejected.Select(r => (r.Position, r.Path)).ShouldBe([(1, "customer.mobile"), (2, "customer.email"), (3, "type"), (5, "occurredAt")]);

        var again = await (await Ingest(key, batch)).Read<IngestResult>();
        again.Accepted.ShouldBe(0);
        again.Duplicates.ShouldBe(2);
        (await TestPostgres.ScalarAsync(api.ConnectionString, "select count(*) from survey.mt_doc_operationaleventrecord where id in ('RO-1','RO-5')")).ShouldBe(2);

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var vault = api.Services.GetRequiredService<Survey.Api.Privacy.PersonalDataVault>(); // contact points are stored sealed
        var customer = (await vault.Open(session, (await session.LoadAsync<CustomerRecord>("C-RO-1"))!.Customer, CancellationToken.None))!;
        customer.Mobile.ShouldBe("+8613812345678");
        customer.HasConsent(Survey.Domain.Operations.Channel.Sms).ShouldBeTrue();
        customer.HasConsent(Survey.Domain.Operations.Channel.Email).ShouldBeFalse();
        (await vault.Open(session, (await session.LoadAsync<CustomerRecord>("C-RO-5"))!.Customer, CancellationToken.None))!.Mobile.ShouldBe("+14155552671");
        var stored = (await session.LoadAsync<OperationalEventRecord>("RO-1"))!.Event;
        stored.Attributes["advisor"].ShouldBe("李娜");
        stored.OccurredAt.ShouldBe(new DateTimeOffset(2026, 11, 1, 16, 40, 0, TimeSpan.FromHours(8)));
    }

    [Fact]
    public async Task A_single_event_and_the_same_event_sent_at_once_from_many_requests_is_stored_once()
    {
        var key = await Key();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Ingest(key, Event("RO-SAME"))));
        results.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var bodies = await Task.WhenAll(results.Select(r => r.Read<IngestResult>()));
        bodies.Sum(b => b.Accepted).ShouldBe(1);
        bodies.Sum(b => b.Duplicates).ShouldBe(7);
    }

    [Fact]
    public async Task Keys_are_required_rotated_and_revoked()
    {
        await (await Ingest(null, Event("RO-K1"))).Problem(HttpStatusCode.Unauthorized);
        await (await Ingest("sk_nothing_here", Event("RO-K1"))).Problem(HttpStatusCode.Unauthorized);

        var key = await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("rotating"))).Read<NewApiKey>(HttpStatusCode.Created);
        (await Ingest(key.Key, Event("RO-K1"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await Ingest(key.Key[..^2] + "xx", Event("RO-K2"))).Problem(HttpStatusCode.Unauthorized);

        var rotated = await (await _client.PostAsync($"/api/api-keys/{key.Id}/rotate", null)).Read<NewApiKey>();
        await (await Ingest(key.Key, Event("RO-K2"))).Problem(HttpStatusCode.Unauthorized);
        (await Ingest(rotated.Key, Event("RO-K2"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await _client.PostAsync($"/api/api-keys/{key.Id}/revoke", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await Ingest(rotated.Key, Event("RO-K3"))).Problem(HttpStatusCode.Unauthorized);
        var listed = await (await _client.GetAsync("/api/api-keys")).Content.ReadAsStringAsync();
        listed.ShouldNotContain(rotated.Key.Split('_', 3)[2]); // secrets are never listed
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_doc_apikey where data::text like '%{rotated.Key.Split('_', 3)[2]}%'")).ShouldBe(0);
    }

    [Fact]
    public async Task Oversized_batches_and_bodies_that_are_not_events_are_400()
    {
        var key = await Key();
        var tooMany = "{ \"events\": [" + string.Join(",", Enumerable.Range(0, 1001).Select(i => Event($"RO-M{i}"))) + "] }";
        (await (await Ingest(key, tooMany)).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["events"]);
        await (await Ingest(key, "[1,2,3]")).Problem(HttpStatusCode.BadRequest);
        await (await Ingest(key, "{ \"events\": 5 }")).Problem(HttpStatusCode.BadRequest);
        await (await Ingest(key, "{ not json")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_csv_import_streams_in_batches_keeps_good_rows_and_reports_bad_ones_by_row_and_column()
    {
        var key = await Key();
        var csv = new StringBuilder("externalId,type,occurredAt,dealerCode,customerExternalId,customerName,email,mobile,consentSms,attr.vehicleModel\n");
        for (var i = 1; i <= 2500; i++)
        {
            var mobile = i % 500 == 0 ? "999" : $"1381234{i:0000}";
            var email = i == 42 ? "broken@" : $"c{i}@example.cn";
            csv.Append($"CSV-{i},delivery.completed,2026-10-{1 + i % 28:00}T10:00:00+08:00,BJ-{i % 7},CUST-{i},\"Customer, {i}\",{email},{mobile},{(i % 2 == 0 ? "true" : "false")},Q5\n");
        }
        csv.Append("CSV-1,delivery.completed,2026-10-02T10:00:00+08:00,BJ-1,CUST-1,dup,c1@example.cn,13812340001,true,Q5\n");
        var importId = Guid.NewGuid();
        var job = await (await Ingest(key, csv.ToString(), $"/api/ingest/events.csv?importId={importId}", "text/csv")).Read<ImportJob>();
        job.Status.ShouldBe(ImportStatus.Completed);
        job.RowsRead.ShouldBe(2501);
        job.Rejected.ShouldBe(6);
        job.Accepted.ShouldBe(2494);
        job.Duplicates.ShouldBe(1);
        job.Errors.Select(e => (e.Position, e.Path)).ShouldBe([(43, "email"), (501, "mobile"), (1001, "mobile"), (1501, "mobile"), (2001, "mobile"), (2501, "mobile")]);

        var progress = await (await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/ingest/imports/{importId}") { Headers = { Authorization = new("ApiKey", key) } })).Read<ImportJob>();
        progress.Accepted.ShouldBe(2494);
        await (await Ingest(key, csv.ToString(), $"/api/ingest/events.csv?importId={importId}", "text/csv")).Problem(HttpStatusCode.Conflict);

        var again = await (await Ingest(key, csv.ToString(), "/api/ingest/events.csv", "text/csv")).Read<ImportJob>();
        again.Accepted.ShouldBe(0);
        again.Duplicates.ShouldBe(2495);
    }

    [Fact]
    public async Task A_csv_import_stores_its_batches_in_file_order_so_later_rows_win_and_repeats_in_later_batches_are_duplicates()
    {
        var key = await Key();
        // 3,000 rows over 7 customers: every batch of 1,000 shares customers with the next one; rows 2,001-2,010 resend rows 1-10
        var csv = new StringBuilder("externalId,type,occurredAt,dealerCode,customerExternalId,customerName,email,mobile,consentSms,attr.row\n");
        for (var i = 1; i <= 3000; i++)
        {
            var id = i is > 2000 and <= 2010 ? i - 2000 : i;
            csv.Append($"ORD-{id},service.completed,2026-10-{1 + i / 200:00}T10:00:00+08:00,SH-1,ORD-C{i % 7},Customer {i},row{i}@example.cn,1381234{i % 7:0000},{(i % 3 == 0 ? "true" : "false")},{i}\n");
        }
        var job = await (await Ingest(key, csv.ToString(), "/api/ingest/events.csv", "text/csv")).Read<ImportJob>();
        job.Status.ShouldBe(ImportStatus.Completed);
        (job.RowsRead, job.Accepted, job.Duplicates, job.Rejected).ShouldBe((3000, 2990, 10, 0));

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        (await session.LoadAsync<OperationalEventRecord>("ORD-5"))!.Event.Attributes["row"].ShouldBe("5"); // the first row of an id is kept
        var vault = api.Services.GetRequiredService<Survey.Api.Privacy.PersonalDataVault>();
        foreach (var c in new[] { 0, 3, 6 })
        {
            var last = Enumerable.Range(1, 3000).Last(i => i % 7 == c && i is not (> 2000 and <= 2010));
            var customer = (await vault.Open(session, (await session.LoadAsync<CustomerRecord>($"ORD-C{c}"))!.Customer, CancellationToken.None))!;
            (customer.Name, customer.Email).ShouldBe(($"Customer {last}", $"row{last}@example.cn"));
        }
    }

    [Fact]
    public async Task A_large_csv_import_analyses_the_tables_it_grows_so_plans_made_meanwhile_fit_them()
    {
        var key = await Key();
        var table = new BulkDocuments<OperationalEventRecord>(api.Services.GetRequiredService<IDocumentStore>()).Table;
        Task<long> Analyses() => TestPostgres.ScalarAsync(api.ConnectionString, $"select analyze_count from pg_stat_user_tables where relid = '{table}'::regclass");
        var before = await Analyses();
        var rows = GrowingTables.MinRows + 2 * CsvImport.BatchSize;
        var csv = new StringBuilder("externalId,type,occurredAt,dealerCode,customerExternalId,email\n");
        for (var i = 1; i <= rows; i++) csv.Append($"GROW-{i},service.completed,2026-10-02T10:00:00+08:00,SH-1,GROW-C{i % 500},c{i % 500}@example.cn\n");

        var job = await (await Ingest(key, csv.ToString(), "/api/ingest/events.csv", "text/csv")).Read<ImportJob>();

        (job.Status, job.Accepted, job.Rejected).ShouldBe((ImportStatus.Completed, rows, 0));
        // ANALYZE ran by the import's own hand (autovacuum's runs count in autoanalyze_count), once it had stored MinRows events
        (await Analyses()).ShouldBeGreaterThan(before);
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select reltuples::bigint from pg_class where oid = '{table}'::regclass")).ShouldBeGreaterThanOrEqualTo(GrowingTables.MinRows);
    }

    [Fact]
    public async Task A_csv_with_missing_or_unknown_columns_fails_clearly_and_the_wrong_content_type_is_415()
    {
        var key = await Key();
        var failed = await Ingest(key, "externalId,type\nX,service.completed\n", "/api/ingest/events.csv", "text/csv");
        failed.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await failed.Content.ReadAsStringAsync()).ShouldContain("Missing column(s): occurredAt, customerExternalId");
        var unknown = await Ingest(key, "externalId,type,occurredAt,customerExternalId,colour\n", "/api/ingest/events.csv", "text/csv");
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Unknown column(s): colour");
        await (await Ingest(key, "externalId\n", "/api/ingest/events.csv", "application/json")).Problem(HttpStatusCode.UnsupportedMediaType);
    }
}
