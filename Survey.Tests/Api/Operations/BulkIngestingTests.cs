using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Privacy;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Operations;

/// <summary>
/// What the set-based write path of a batch (advisory locks on customers, one insert of all events that returns the fresh ones,
/// one upsert of all customers, one insert of all new data keys) could get wrong.
/// </summary>
public class BulkIngestingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<string> Key() =>
        (await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("bulk"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;

    private async Task<IngestResult> Send(string key, IEnumerable<string> events)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events")
        {
            Content = new StringContent("{ \"events\": [" + string.Join(",", events) + "] }", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return await (await _client.SendAsync(request)).Read<IngestResult>();
    }

    private static string Event(string id, string customer, string name = "王伟", string email = "wang.wei@example.cn", bool? sms = null, string at = "2026-11-01T16:40:00+08:00",
        string type = "service.completed", string dealer = "SH-PD-01") => $$"""
        { "externalId": "{{id}}", "type": "{{type}}", "occurredAt": "{{at}}", "dealerCode": "{{dealer}}",
          "customer": { "externalId": "{{customer}}", "name": "{{name}}", "mobile": "13812345678", "email": "{{email}}",
                        "consents": [ {{(sms is { } given ? $$"""{ "channel": "sms", "given": {{(given ? "true" : "false")}}, "at": "{{at}}", "source": "dms" }""" : "")}} ] },
          "attributes": { "vehicleModel": "A6L", "event": "{{id}}" } }
        """;

    private Task<long> Count(string sql) => TestPostgres.ScalarAsync(api.ConnectionString, sql);

    private async Task<Customer> Customer(string id)
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var record = (await session.LoadAsync<CustomerRecord>(id)).ShouldNotBeNull();
        return (await api.Services.GetRequiredService<PersonalDataVault>().Open(session, record.Customer, CancellationToken.None))!;
    }

    /// <summary>The stored record as it is in the table (sealed) and its Marten version (a new one on every write).</summary>
    private async Task<(CustomerRecord Record, Guid Version)> Stored(string id)
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var record = (await session.LoadAsync<CustomerRecord>(id)).ShouldNotBeNull();
        return (record, (await session.MetadataForAsync(record)).ShouldNotBeNull().CurrentVersion);
    }

    [Fact]
    public async Task A_resent_customer_keeps_its_sealed_values_unwritten_and_a_changed_field_alone_is_sealed_and_indexed_anew()
    {
        var key = await Key();
        (await Send(key, [Event("BU-1", "BU-C", name: "王伟", email: "first@example.cn")])).Accepted.ShouldBe(1);
        var first = await Stored("BU-C");

        // the same customer again: nothing re-sealed, the record is not written again
        (await Send(key, [Event("BU-2", "BU-C", name: "王伟", email: "first@example.cn")])).Accepted.ShouldBe(1);
        var same = await Stored("BU-C");
        same.Record.Customer.ShouldBe(first.Record.Customer with { Consents = same.Record.Customer.Consents });
        same.Record.Customer.Name.ShouldBe(first.Record.Customer.Name);
        same.Record.Customer.Email.ShouldBe(first.Record.Customer.Email);
        same.Version.ShouldBe(first.Version);
        (await Count("select count(*) from survey.mt_doc_operationaleventrecord where id = 'BU-2'")).ShouldBe(1); // the event is committed all the same
        (await Customer("BU-C")).Email.ShouldBe("first@example.cn");

        // a new e-mail address: sealed and indexed anew; the unchanged name and mobile keep their sealed values and index
        (await Send(key, [Event("BU-3", "BU-C", name: "王伟", email: "second@example.cn")])).Accepted.ShouldBe(1);
        var changed = await Stored("BU-C");
        changed.Version.ShouldNotBe(first.Version);
        changed.Record.Customer.Email.ShouldStartWith(Survey.Domain.Privacy.Envelope.Prefix);
        changed.Record.Customer.Email.ShouldNotBe(first.Record.Customer.Email);
        changed.Record.Customer.Name.ShouldBe(first.Record.Customer.Name);
        changed.Record.Customer.Mobile.ShouldBe(first.Record.Customer.Mobile);
        changed.Record.MobileIndex.ShouldBe(first.Record.MobileIndex);
        var index = api.Services.GetRequiredService<PersonalDataVault>().Keys.IndexKey(Tenancy.DefaultTenant);
        changed.Record.EmailIndex.ShouldBe(Survey.Domain.Privacy.BlindIndex.Email(index, "second@example.cn"));
        var customer = await Customer("BU-C");
        (customer.Name, customer.Email, customer.Mobile).ShouldBe(("王伟", "second@example.cn", "+8613812345678"));
        (await Count("select count(*) from survey.mt_doc_datakey where id = 'customer:BU-C'")).ShouldBe(1);
    }

    [Fact]
    public async Task After_erasure_a_resent_customer_is_sealed_under_a_new_key_and_what_was_erased_stays_unreadable()
    {
        var key = await Key();
        (await Send(key, [Event("BE-1", "BE-C", email: "erased@example.cn")])).Accepted.ShouldBe(1);
        var erased = await Stored("BE-C");
        (await _client.PostAsync("/api/privacy/customers/BE-C/erasure", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await Send(key, [Event("BE-2", "BE-C", email: "erased@example.cn")])).Accepted.ShouldBe(1);
        var again = await Stored("BE-C");
        again.Record.Customer.Email.ShouldNotBe(erased.Record.Customer.Email);
        again.Record.Customer.Name.ShouldNotBe(erased.Record.Customer.Name);
        (await Customer("BE-C")).Email.ShouldBe("erased@example.cn");
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var ring = await api.Services.GetRequiredService<PersonalDataVault>().Keys.Load(session, [KeyIds.Customer("BE-C")], CancellationToken.None);
        PersonalDataVault.Reveal(ring, KeyIds.Customer("BE-C"), "email", erased.Record.Customer.Email).ShouldBe(PersonalDataVault.Erased);
        PersonalDataVault.Reveal(ring, KeyIds.Customer("BE-C"), "name", erased.Record.Customer.Name).ShouldBe(PersonalDataVault.Erased);
    }

    [Fact]
    public async Task A_customer_id_known_in_another_tenant_or_first_seen_without_personal_data_is_read_and_sealed_as_its_own()
    {
        var key = await Key();
        var other = api.ClientFor(Roles.Administrator, "brand-bx");
        var otherKey = (await (await other.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("bulk"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
        (await Send(otherKey, [Event("BX-1", "BX-C", name: "李娜", email: "other@example.cn")])).Accepted.ShouldBe(1);

        // this tenant's customer of the same id: first without any personal data (stored without a data key), then with some
        (await Send(key, ["""
            { "externalId": "BX-2", "type": "service.completed", "occurredAt": "2026-11-01T16:40:00+08:00", "customer": { "externalId": "BX-C", "preferredLanguage": "zh-CN" } }
            """])).Accepted.ShouldBe(1);
        (await Count($"select count(*) from survey.mt_doc_datakey where id = 'customer:BX-C' and tenant_id = '{Tenancy.DefaultTenant}'")).ShouldBe(0);
        (await Send(key, [Event("BX-3", "BX-C", name: "王伟", email: "own@example.cn")])).Accepted.ShouldBe(1);
        var first = await Stored("BX-C");
        // read back with its own key (the other tenant's would not unwrap here): unchanged, not written again
        (await Send(key, [Event("BX-4", "BX-C", name: "王伟", email: "own@example.cn")])).Accepted.ShouldBe(1);
        (await Stored("BX-C")).Version.ShouldBe(first.Version);
        var own = await Customer("BX-C");
        (own.Name, own.Email, own.PreferredLanguage).ShouldBe(("王伟", "own@example.cn", "zh-CN"));

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession("brand-bx");
        var theirs = (await api.Services.GetRequiredService<PersonalDataVault>().Open(session, (await session.LoadAsync<CustomerRecord>("BX-C")).ShouldNotBeNull().Customer,
            CancellationToken.None))!;
        (theirs.Name, theirs.Email, theirs.PreferredLanguage).ShouldBe(("李娜", "other@example.cn", null));
        (await Count("select count(*) from survey.mt_doc_datakey where id = 'customer:BX-C'")).ShouldBe(2);
    }

    [Fact]
    public async Task Duplicates_inside_a_batch_and_against_stored_events_are_counted_and_stored_once()
    {
        var key = await Key();
        (await Send(key, [Event("BD-2", "BD-C2")])).Accepted.ShouldBe(1);

        var result = await Send(key, [Event("BD-1", "BD-C1"), Event("BD-2", "BD-C2"), Event("BD-1", "BD-C1"), Event("BD-3", "BD-C3"), Event("BD-3", "BD-C3")]);
        result.Accepted.ShouldBe(2);
        result.Duplicates.ShouldBe(3);
        (await Count("select count(*) from survey.mt_doc_operationaleventrecord where id like 'BD-%'")).ShouldBe(3);
        (await Count("select count(*) from survey.mt_doc_customerrecord where id like 'BD-C%'")).ShouldBe(3);

        // what the set-based insert wrote is a Marten document like any other: loaded, queried by its indexes, with Marten's metadata
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var stored = (await session.LoadAsync<OperationalEventRecord>("BD-3")).ShouldNotBeNull();
        stored.Source.ShouldBe("webhook");
        stored.Event.Attributes["event"].ShouldBe("BD-3");
        stored.Event.OccurredAt.ShouldBe(new DateTimeOffset(2026, 11, 1, 16, 40, 0, TimeSpan.FromHours(8)));
        (await session.Query<OperationalEventRecord>().Where(e => e.Event.CustomerExternalId == "BD-C1").ToListAsync()).Single().Id.ShouldBe("BD-1");
        var metadata = await session.MetadataForAsync(stored);
        metadata.ShouldNotBeNull();
        metadata.TenantId.ShouldBe(Tenancy.DefaultTenant);
        metadata.DotNetType.ShouldBe(typeof(OperationalEventRecord).FullName);
        (await Customer("BD-C3")).Email.ShouldBe("wang.wei@example.cn");
    }

    [Fact]
    public async Task A_customer_in_several_rows_of_one_batch_is_merged_once_with_its_whole_consent_history()
    {
        var key = await Key();
        var result = await Send(key, [
            Event("BM-1", "BM-C", name: "王伟", email: "old@example.cn", sms: true, at: "2026-10-01T10:00:00+08:00"),
            Event("BM-2", "BM-C", name: "王伟伟", email: "new@example.cn", sms: false, at: "2026-10-05T10:00:00+08:00"),
            Event("BM-3", "BM-C", name: "王伟伟", email: "new@example.cn", sms: false, at: "2026-10-06T10:00:00+08:00"),
        ]);
        result.Accepted.ShouldBe(3);

        (await Count("select count(*) from survey.mt_doc_customerrecord where id = 'BM-C'")).ShouldBe(1);
        (await Count("select count(*) from survey.mt_doc_datakey where id = 'customer:BM-C'")).ShouldBe(1);
        var customer = await Customer("BM-C");
        customer.Name.ShouldBe("王伟伟");
        customer.Email.ShouldBe("new@example.cn");
        customer.Consents.Select(c => c.Given).ShouldBe([true, false]); // the repeated withdrawal is not a new decision
        customer.HasConsent(Channel.Sms).ShouldBeFalse();

        // a later batch merges into the stored customer under the same key
        (await Send(key, [Event("BM-4", "BM-C", sms: true, at: "2026-10-09T10:00:00+08:00")])).Accepted.ShouldBe(1);
        (await Count("select count(*) from survey.mt_doc_datakey where id = 'customer:BM-C'")).ShouldBe(1);
        (await Customer("BM-C")).Consents.Select(c => c.Given).ShouldBe([true, false, true]);
    }

    [Fact]
    public async Task Concurrent_batches_with_overlapping_events_and_customers_store_each_once_and_the_counts_add_up()
    {
        var key = await Key();
        // six batches of 300 over 900 events: every event is in two batches; customers are shared across batches
        var batches = Enumerable.Range(0, 6).Select(b => Enumerable.Range(b * 150, 300).Select(i => i % 900)
            .Select(i => Event($"BC-{i:D4}", $"BC-C{i % 97:D3}", sms: i % 2 == 0, at: $"2026-10-01T10:{i % 60:D2}:00+08:00")).ToList()).ToList();
        var results = await Task.WhenAll(batches.Select(b => Send(key, b)));

        results.Sum(r => r.Accepted).ShouldBe(900);
        results.Sum(r => r.Duplicates).ShouldBe(900);
        results.ShouldAllBe(r => r.Rejected.Count == 0);
        (await Count("select count(*) from survey.mt_doc_operationaleventrecord where id like 'BC-%'")).ShouldBe(900);
        (await Count("select count(distinct id) from survey.mt_doc_operationaleventrecord where id like 'BC-%'")).ShouldBe(900);
        (await Count("select count(*) from survey.mt_doc_customerrecord where id like 'BC-C%'")).ShouldBe(97);
        (await Count("select count(*) from survey.mt_doc_datakey where id like 'customer:BC-C%'")).ShouldBe(97);
        // the merges of concurrent batches did not overwrite each other: every customer opens with its key and kept both decisions
        foreach (var id in new[] { "BC-C000", "BC-C050", "BC-C096" })
        {
            var customer = await Customer(id);
            customer.Email.ShouldBe("wang.wei@example.cn");
            customer.Consents.Select(c => c.Given).Distinct().Order().ShouldBe([false, true]);
        }
    }

    [Fact]
    public async Task Triggers_fire_for_fresh_events_only_and_bad_items_are_reported_while_good_ones_are_kept()
    {
        (await _client.Send(HttpMethod.Put, "/api/regions/BT-EAST", new Region("BT-EAST", new LocalizedName("华东区", "East"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.Send(HttpMethod.Put, "/api/dealers/BT-D1", new Dealer("BT-D1", new LocalizedName("上海浦东店", "Shanghai Pudong"), "BT-EAST", "Asia/Shanghai", "上海", [])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var questionnaireId = await new Respondent(_client).PublishedSurvey();
        var definition = new TriggerDefinition("Bulk", "bulk.fired", [], questionnaireId, TimeSpan.Zero, null, [Channel.Sms], 100m, TimeSpan.FromDays(7), null);
        var trigger = await (await _client.Send(HttpMethod.Post, "/api/triggers", definition)).Read<Trigger>(HttpStatusCode.Created);
        (await _client.PostAsync($"/api/triggers/{trigger.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var key = await Key();
        var at = api.Time.GetUtcNow().AddMinutes(-5).ToString("O");

        var first = await Send(key, [Event("BT-1", "BT-C1", sms: true, at: at, type: "bulk.fired", dealer: "BT-D1"), Event("BT-2", "BT-C2", sms: true, at: at, type: "bulk.fired", dealer: "BT-D1")]);
        first.Accepted.ShouldBe(2);
        var second = await Send(key, [
            Event("BT-1", "BT-C1", sms: true, at: at, type: "bulk.fired", dealer: "BT-D1"),
            Event("BT-3", "BT-C3", email: "not-an-email", at: at, type: "bulk.fired", dealer: "BT-D1"),
            Event("BT-4", "BT-C4", sms: true, at: at, type: "bulk.fired", dealer: "BT-D1"),
            Event("BT-2", "BT-C2", sms: true, at: at, type: "bulk.fired", dealer: "BT-D1"),
        ]);
        second.Accepted.ShouldBe(1);
        second.Duplicates.ShouldBe(2);
        second.Rejected.Select(r => (r.Position, r.Path)).ShouldBe([(1, "customer.email")]);

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var invitations = await session.Query<Invitation>().Where(i => i.CustomerExternalId!.StartsWith("BT-C")).ToListAsync();
        invitations.Select(i => i.EventExternalId).Order().ShouldBe(["BT-1", "BT-2", "BT-4"]); // one per fresh event, none for a resent one
        invitations.ShouldAllBe(i => i.Status == InvitationStatus.Scheduled);
        (await Count("select count(*) from survey.mt_doc_operationaleventrecord where id like 'BT-%'")).ShouldBe(3);
        (await Count("select count(*) from survey.mt_doc_customerrecord where id = 'BT-C3'")).ShouldBe(0); // a rejected item changes nothing
    }
}
