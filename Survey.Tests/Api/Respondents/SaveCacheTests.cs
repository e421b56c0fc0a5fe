using System.Net;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Survey.Api.Privacy;
using Survey.Api.Privacy.Erasing;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Responses;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

/// <summary>
/// The save path writes events with its own set-based SQL and keeps each response's last committed state per node
/// (SaveWriter, SaveBatchSql). Two real nodes on one database: a node's copy going stale (the other node saved, a document
/// was scrubbed) never loses, duplicates or overwrites anything, and Marten reads the events back as its own.
/// </summary>
public class SaveCacheTests : TwoNodes
{

    private Respondent A => new(NodeA.CreateClient());
    private Respondent B => new(NodeB.CreateClient());

    [Fact]
    public async Task Two_nodes_saving_one_response_with_stale_copies_lose_and_duplicate_nothing()
    {
        var id = await Started();
        (await A.Save(id, 1, new { nps = 3 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await B.Save(id, 2, new { wrong = new[] { "wait" } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A's copy is from before save 2, B's from before save 3: each is written again from the database
        (await A.Save(id, 3, new { comment = "The coffee was cold." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await B.Save(id, 4, new { csat = 2 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        // retries on the node that did not apply them change nothing; a reused number with other answers is refused
        (await A.Save(id, 2, new { wrong = new[] { "wait" } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await B.Save(id, 3, new { comment = "The coffee was cold." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await B.Save(id, 1, new { nps = 4 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await A.Save(id, 5, new { csat = 3 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await B.Save(id, 5, new { csat = 3 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var session = Store(NodeB).QuerySession(Tenant);
        var events = await session.Events.FetchStreamAsync(id);
        events.Select(e => e.Version).ShouldBe([1L, 2, 3, 4, 5, 6]);
        events.Skip(1).Select(e => ((ResponseAnswersSaved)e.Data).Sequence).ShouldBe([1, 2, 3, 4, 5]);

        var stored = await Read(NodeA, id);
        stored.Answers.Keys.Order().ShouldBe(["comment", "csat", "nps", "wrong"]);
        stored.Answers["nps"].Number.ShouldBe(3);
        stored.Answers["csat"].Number.ShouldBe(3);
        stored.Answers["comment"].Text.ShouldBe("The coffee was cold.");
        stored.Saves.Count.ShouldBe(5);
    }

    [Fact]
    public async Task A_response_started_on_a_node_is_saved_there_without_reading_it_back_and_stored_as_Marten_would()
    {
        using var loaded = Collector<long>(NodeA, "survey.saves.states_loaded");
        using var alone = Collector<long>(NodeA, "survey.saves.written_alone");
        using var committed = Collector<long>(NodeA, "survey.saves.committed");
        using var appends = Collector<double>(NodeA, "survey.saves.append_duration");
        var id = await Started();
        (await A.Save(id, 1, new { nps = 8, comment = "Friendly staff." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await A.Save(id, 2, new { csat = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // the start left its state on node A: both saves were decided on it and written in batches, none read the response back
        committed.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(2);
        loaded.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(0);
        alone.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(0);
        appends.GetMeasurementSnapshot().Count.ShouldBe(2); // one batch each (sent one after the other), each timed
        appends.GetMeasurementSnapshot().ShouldAllBe(m => m.Value > 0);
        // and what they wrote is what Marten's projection makes of the events (the first save created the response's data key)
        await using var session = Store(NodeA).LightweightSession(Tenant);
        var document = (await session.LoadAsync<Response>(id))!;
        Comparable((await session.Events.AggregateStreamAsync<Response>(id))!).ShouldBe(Comparable(document));
        (await TestPostgres.ScalarAsync(Database, $"select count(*) from survey.mt_doc_datakey where id = 'response:{id:N}'")).ShouldBe(1);
        (await Read(NodeB, id)).Answers["comment"].Text.ShouldBe("Friendly staff.");
    }

    [Fact]
    public async Task A_response_scrubbed_after_its_start_is_not_overwritten_from_the_state_the_start_left()
    {
        using var alone = Collector<long>(NodeA, "survey.saves.written_alone");
        var id = await Started();
        // erasure and retention rewrite the document without an event: here on node B, right after A started the response
        await using (var session = Store(NodeB).LightweightSession(Tenant))
        {
            var response = (await session.LoadAsync<Response>(id))!;
            session.Store(response with { PageUrl = "https://scrubbed.example" });
            await session.SaveChangesAsync();
        }

        (await A.Save(id, 1, new { nps = 2 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        alone.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(1); // A's state from the start was refused, the save written from the database
        var stored = await Read(NodeB, id);
        stored.PageUrl.ShouldBe("https://scrubbed.example");
        stored.Answers["nps"].Number.ShouldBe(2);
    }

    [Fact]
    public async Task A_response_started_on_one_node_and_saved_on_the_other_loses_nothing_on_either()
    {
        using var loadedOnB = Collector<long>(NodeB, "survey.saves.states_loaded");
        using var aloneOnA = Collector<long>(NodeA, "survey.saves.written_alone");
        var id = await Started(); // on A, which now holds it
        (await B.Save(id, 1, new { nps = 6 })).StatusCode.ShouldBe(HttpStatusCode.OK); // B holds nothing: reads it
        (await A.Save(id, 2, new { comment = "Slow check-out." })).StatusCode.ShouldBe(HttpStatusCode.OK); // A's copy is a version old
        (await A.Save(id, 3, new { csat = 3 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        loadedOnB.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(1);
        aloneOnA.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(1); // save 2 refused in its batch, written from the database
        await using var session = Store(NodeA).QuerySession(Tenant);
        (await session.Events.FetchStreamAsync(id)).Skip(1).Select(e => ((ResponseAnswersSaved)e.Data).Sequence).ShouldBe([1, 2, 3]);
        var stored = await Read(NodeB, id);
        stored.Answers.Keys.Order().ShouldBe(["comment", "csat", "nps"]);
        stored.Answers["comment"].Text.ShouldBe("Slow check-out.");
    }

    private static MetricCollector<T> Collector<T>(Node node, string instrument) where T : struct =>
        new(node.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), SaveWriter.MeterName, instrument);

    [Fact]
    public async Task A_node_that_read_no_data_key_seals_with_the_key_another_node_created_meanwhile()
    {
        var id = await Started();
        (await A.Save(id, 1, new { nps = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK); // A holds: no free text, no data key
        (await B.Save(id, 2, new { comment = "First words." })).StatusCode.ShouldBe(HttpStatusCode.OK); // B creates the key
        (await A.Save(id, 3, new { comment = "Second thoughts." })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await TestPostgres.ScalarAsync(Database, $"select count(*) from survey.mt_doc_datakey where id = 'response:{id:N}'")).ShouldBe(1);
        (await Read(NodeB, id)).Answers["comment"].Text.ShouldBe("Second thoughts.");
        await using var session = Store(NodeA).QuerySession(Tenant);
        var saved = (await session.Events.FetchStreamAsync(id)).Skip(1).Select(e => (ResponseAnswersSaved)e.Data).ToList();
        saved.Select(e => e.Sequence).ShouldBe([1, 2, 3]);
        Survey.Domain.Privacy.Envelope.IsSealed(saved[2].Answers["comment"]!.Text).ShouldBeTrue(); // sealed in the event, opened with the one key above
    }

    [Fact]
    public async Task A_document_rewritten_without_an_event_is_not_overwritten_from_a_nodes_older_copy()
    {
        var id = await Started();
        (await A.Save(id, 1, new { nps = 9, comment = "Call me on 555-0100." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        // erasure and retention scrub the document (no event, the stream keeps its version): here on node B
        await using (var session = Store(NodeB).LightweightSession(Tenant))
        {
            var response = (await session.LoadAsync<Response>(id))!;
            session.Store(CustomerErasure.Scrub(response));
            await session.SaveChangesAsync();
        }

        (await A.Save(id, 2, new { csat = 5 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var query = Store(NodeA).QuerySession(Tenant);
        var stored = (await query.LoadAsync<Response>(id))!;
        stored.Answers["comment"].Text.ShouldBe(PersonalDataVault.Erased);
        stored.Answers["csat"].Number.ShouldBe(5);
        stored.Saves.Keys.Order().ShouldBe([1, 2]);
    }

    [Fact]
    public async Task Marten_reads_the_events_back_as_its_own_the_document_matches_them_and_rebuilds_the_same()
    {
        var ids = new[] { await Started(), await Started() };
        await Task.WhenAll(ids.Select(id => A.Save(id, 1, new { nps = 5, wrong = new[] { "price" } })));
        await Task.WhenAll(ids.Select(id => A.Save(id, 2, new { comment = "Too slow.", csat = 2 })));
        (await A.Complete(ids[0], 3)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var store = Store(NodeA);
        foreach (var id in ids)
        {
            await using var session = store.LightweightSession(Tenant);
            var stream = await session.Events.FetchStreamAsync(id);
            stream.Count.ShouldBe(id == ids[0] ? 4 : 3);
            stream[1].EventTypeName.ShouldBe("response_answers_saved");
            stream[1].Data.ShouldBeOfType<ResponseAnswersSaved>().Answers["nps"]!.Number.ShouldBe(5);
            stream.Select(e => e.Sequence).ShouldBeInOrder();
            var document = (await session.LoadAsync<Response>(id))!;
            var replayed = (await session.Events.AggregateStreamAsync<Response>(id))!;
            Comparable(replayed).ShouldBe(Comparable(document));

            await store.Advanced.RebuildSingleStreamAsync<Response>(id, Tenant);
            await using var after = store.QuerySession(Tenant);
            Comparable((await after.LoadAsync<Response>(id))!).ShouldBe(Comparable(document));
        }
        (await Read(NodeB, ids[0])).Status.ShouldBe(ResponseStatus.Completed);
    }

    private static string Comparable(Response r) =>
        System.Text.Json.JsonSerializer.Serialize(r with { Answers = new SortedDictionary<string, Answer>((IDictionary<string, Answer>)r.Answers), Saves = new SortedDictionary<int, string>((IDictionary<int, string>)r.Saves) });

    private const string Tenant = Survey.Api.Storage.Tenancy.DefaultTenant;

    private static IDocumentStore Store(Node node) => node.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_save_rewrites_the_response_document_in_place_without_new_index_entries()
    {
        var id = await Started();
        (await A.Save(id, 1, new { nps = 9 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await A.Save(id, 2, new { comment = "Quick and friendly." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await A.Save(id, 3, new { csat = 5 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // the document's earlier versions on its page are HOT-updated (flag 0x4000) or already pruned to a redirect (lp_flags 2):
        // no index read a column the saves changed, so none got a new entry (ResponseStore, EventStoreSetup)
        var connection = NodeA.ConnectionString;
        await TestPostgres.ScalarAsync(connection, "create extension if not exists pageinspect; select 1");
        var page = await TestPostgres.ScalarAsync(connection, $"select (ctid::text::point)[0]::bigint from survey.mt_doc_response where id = '{id}'");
        var inPlace = await TestPostgres.ScalarAsync(connection,
            $"select count(*) from heap_page_items(get_raw_page('survey.mt_doc_response', {page})) where t_infomask2 & 16384 <> 0 or lp_flags = 2");
        inPlace.ShouldBeGreaterThanOrEqualTo(1); // (pruning collapses a chain to one redirect)
        (await TestPostgres.TextAsync(connection, "select array_to_string(reloptions, ',') from pg_class where oid = 'survey.mt_doc_response'::regclass"))
            .ShouldBe("fillfactor=70");
        // the console still finds it by questionnaire (a column of its own now), newest activity first
        (await TestPostgres.ScalarAsync(connection, $"select count(*) from survey.mt_doc_response where id = '{id}' and questionnaire_id = (data ->> 'questionnaireId')::uuid"))
            .ShouldBe(1);
    }

    [Fact]
    public async Task A_save_stores_its_answers_without_their_unset_members()
    {
        var id = await Started();
        (await A.Save(id, 1, new { nps = 3, wrong = new[] { "wait" } })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // every save writes its answers twice (event and document): members an answer or a source does not have are left out,
        // which is WAL not written on every save, and read back as null
        var connection = NodeA.ConnectionString;
        (await TestPostgres.TextAsync(connection, $"select (data -> 'answers')::text from survey.mt_events where stream_id = '{id}' and version = 2"))
            .ShouldBe("""{"nps": {"number": 3}, "wrong": {"choices": ["wait"]}}""");
        var document = await TestPostgres.TextAsync(connection, $"select data::text from survey.mt_doc_response where id = '{id}'");
        document!.ShouldNotContain("null");
        (await TestPostgres.TextAsync(connection, $"select (data -> 'source')::text from survey.mt_doc_response where id = '{id}'")).ShouldStartWith("""{"kind": "Link", "linkId": """);
        var stored = await Read(NodeB, id);
        stored.Answers["nps"].ShouldBe(new Answer(Number: 3));
        stored.Answers["wrong"].ShouldBe(new Answer(Choices: ["wait"]));
        stored.CompletedAt.ShouldBeNull();
        stored.Source.InvitationId.ShouldBeNull();
    }

    [Fact]
    public async Task A_database_made_before_responses_were_rewritten_in_place_is_brought_over_at_start_up()
    {
        var id = await Started();
        (await A.Save(id, 1, new { nps = 6 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var questionnaire = (await Read(NodeA, id)).QuestionnaireId;
        // the shape node A's database had before: the questionnaire and the last activity indexed inside the JSON, full pages
        await TestPostgres.ScalarAsync(NodeA.ConnectionString, """
            alter table survey.mt_doc_response drop column questionnaire_id, reset (fillfactor);
            create index mt_doc_response_idx_questionnaire_id on survey.mt_doc_response (((data ->> 'questionnaireId')::uuid));
            create index mt_doc_response_idx_last_activity_at on survey.mt_doc_response (survey.mt_immutable_timestamptz(data ->> 'lastActivityAt'));
            select 1
            """);

        var list = await NodeB.CreateClient().GetAsync($"/api/responses?questionnaireId={questionnaire}"); // B starts: Marten's migration fills the new column and drops the index it no longer knows
        (await list.Read<System.Text.Json.JsonElement>()).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldBe([id]);
        (await TestPostgres.TextAsync(NodeB.ConnectionString,
            "select string_agg(indexdef, ' | ' order by indexname) from pg_indexes where schemaname = 'survey' and tablename = 'mt_doc_response'"))
            !.ShouldNotContain("lastActivityAt");
        (await TestPostgres.TextAsync(NodeB.ConnectionString, $"select questionnaire_id::text from survey.mt_doc_response where id = '{id}'")).ShouldBe(questionnaire.ToString());
        (await B.Save(id, 2, new { csat = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<Response> Read(Node node, Guid id) =>
        await (await node.CreateClient().GetAsync($"/api/responses/{id}")).Read<Response>();

    private async Task<Guid> Started()
    {
        var link = await A.Link(await A.PublishedSurvey());
        var id = Guid.NewGuid();
        (await A.Start(id, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return id;
    }
}
