using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Survey.Api.Questionnaires;
using Survey.Api.Security;
using Survey.Domain.Operations;
using Survey.Tests.Api.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Security;

/// <summary>Who did what and when: every admin change, export and sign-in lands in an append-only log administrators can query.</summary>
public class AuditTests(SecurityFixture api) : IClassFixture<SecurityFixture>
{
    private static async Task<List<JsonObject>> Entries(HttpClient admin, string query = "")
    {
        var page = await (await admin.GetAsync($"/api/audit{query}")).Read<JsonObject>();
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    [Fact]
    public async Task Admin_changes_exports_refusals_and_sign_ins_are_recorded_with_who_what_and_when()
    {
        var admin = api.ClientFor(Roles.Administrator, "audit-a", user: "chen.jing");
        var marketer = api.ClientFor(Roles.Marketer, "audit-a", user: "wang.fang");

        var created = await (await marketer.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps()))).Read<QuestionnaireView>(HttpStatusCode.Created);
        (await marketer.GetAsync($"/api/questionnaires/{created.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK); // a read: not recorded
        (await marketer.GetAsync($"/api/questionnaires/{created.Id}/export")).StatusCode.ShouldBe(HttpStatusCode.OK); // an export: recorded
        await (await marketer.Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("华东", "East"), []))).Problem(HttpStatusCode.Forbidden);
        (await admin.Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("华东", "East"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await admin.Send(HttpMethod.Put, "/api/regions/WEST", new { code = "WEST" })).Problem(HttpStatusCode.BadRequest);
        (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", new { user = "li.na", role = "analyst", tenant = "audit-a" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var entries = await Entries(admin);
        var rows = entries.Select(e => $"{e["user"]} {e["role"]} {e["action"]} {e["method"]} {e["target"]} {e["status"]}").ToList();
        rows.ShouldBe([
            "li.na analyst SignIn POST li.na 200",
            "chen.jing administrator PutRegion PUT WEST 400",
            "chen.jing administrator PutRegion PUT EAST 200",
            "wang.fang marketer PutRegion PUT EAST 403",
            $"wang.fang marketer ExportQuestionnaire GET {created.Id} 200",
            $"wang.fang marketer CreateQuestionnaire POST {created.Id} 201",
        ]);
        entries[^1]["route"]!.ToString().ShouldBe("/api/questionnaires/");
        entries[^1]["path"]!.ToString().ShouldBe("/api/questionnaires");
        DateTimeOffset.Parse(entries[^1]["at"]!.ToString()).ShouldBe(api.Time.GetUtcNow());

        // filters and paging
        (await Entries(admin, "?user=wang.fang")).Count.ShouldBe(3);
        (await Entries(admin, "?action=PutRegion&target=EAST")).Count.ShouldBe(2);
        var second = await (await admin.GetAsync("/api/audit?pageSize=2&page=3")).Read<JsonObject>();
        second["total"]!.GetValue<long>().ShouldBe(6);
        second["items"]!.AsArray().Select(i => i!["action"]!.ToString()).ShouldBe(["ExportQuestionnaire", "CreateQuestionnaire"]);
        await (await admin.GetAsync("/api/audit?pageSize=0")).Problem(HttpStatusCode.BadRequest);

        // another tenant's administrator sees none of it
        (await Entries(api.ClientFor(Roles.Administrator, "audit-b"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_change_is_written_ahead_so_it_never_commits_without_its_entry()
    {
        var admin = api.ClientFor(Roles.Administrator, "audit-d", user: "zhao.lei");
        (await admin.Send(HttpMethod.Put, "/api/regions/NORTH", new Region("NORTH", new LocalizedName("华北", "North"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // hold the region's row, so the next change blocks inside its endpoint (after the audit middleware, before its commit)
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var holding = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("select 1 from survey.mt_doc_regionrecord where id = 'NORTH' and tenant_id = 'audit-d' for update", connection, holding))
            (await lockRow.ExecuteScalarAsync()).ShouldBe(1);
        var change = admin.Send(HttpMethod.Put, "/api/regions/NORTH", new Region("NORTH", new LocalizedName("华北区", "North China"), []));

        // the entry is there while the change is still in flight, with no outcome yet
        JsonObject? inFlight = null;
        for (var i = 0; i < 600 && inFlight is null; i++)
        {
            inFlight = (await Entries(admin)).FirstOrDefault(e => e["status"] is null);
            if (inFlight is null) await Task.Delay(50);
        }
        inFlight.ShouldNotBeNull("the entry of the blocked change was written before its endpoint ran");
        inFlight["action"]!.ToString().ShouldBe("PutRegion");
        inFlight["target"]!.ToString().ShouldBe("NORTH");
        change.IsCompleted.ShouldBeFalse();

        await holding.RollbackAsync();
        (await change).StatusCode.ShouldBe(HttpStatusCode.OK);
        var entries = await Entries(admin);
        entries.Select(e => $"{e["action"]} {e["target"]} {e["status"]}").ShouldBe(["PutRegion NORTH 200", "PutRegion NORTH 200"]);
        (await TestPostgres.ScalarAsync(api.ConnectionString, "select count(*) from survey.audit_log where tenant_id = 'audit-d' and outcome_of is not null")).ShouldBe(2);
    }

    [Fact]
    public async Task The_log_refuses_updates_deletes_and_truncation()
    {
        (await api.ClientFor(Roles.Administrator, "audit-c").Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "update survey.audit_log set user_id = 'someone-else'", "delete from survey.audit_log", "truncate survey.audit_log" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            error.MessageText.ShouldContain("append-only");
        }
        (await TestPostgres.ScalarAsync(api.ConnectionString, "select count(*) from survey.audit_log where tenant_id = 'audit-c' and action = 'CreateApiKey' and outcome_of is null")).ShouldBe(1);
    }
}
