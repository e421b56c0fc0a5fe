using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Cases.Actions;
using Survey.Api.Cases.Inbox;
using Survey.Api.Invitations;
using Survey.Api.Questionnaires;
using Survey.Api.Storage;
using Survey.Domain.Cases;
using Survey.Domain.Invitations;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Cases;

public class CaseLifecycleTests(CasesFixture api) : IClassFixture<CasesFixture>
{
    /// <summary>The case's own events (background jobs of the shared host may append others' events meanwhile).</summary>
    private Task<long> Events(params Guid[] streams) => TestPostgres.ScalarAsync(api.ConnectionString,
        $"select count(*) from survey.mt_events where stream_id in ({string.Join(", ", streams.Select(s => $"'{s}'"))})");

    [Fact]
    public async Task Assign_contact_code_resolve_resurvey_and_reopen_with_ETags()
    {
        var world = await api.World();
        var caseId = await world.Detractor("C-life-1");
        var read = await world.Get($"/api/cases/{caseId}");
        (await read.Read<CaseView>()).Version.ShouldBe(1);
        read.ETag().ShouldBe("\"1\"");

        var assigned = await world.Act(caseId, "assign", new AssignRequest("u-1042", "张伟"), ifMatch: read.ETag());
        (await assigned.Read<CaseView>()).AssigneeName.ShouldBe("张伟");
        assigned.ETag().ShouldBe("\"2\"");
        await (await world.Act(caseId, "contacts", new ContactRequest("phone", "late"), ifMatch: read.ETag())).Problem(HttpStatusCode.PreconditionFailed);

        api.Time.Advance(TimeSpan.FromHours(3));
        var contacted = await (await world.Act(caseId, "contacts", new ContactRequest("phone", "Called back, apologised."), ifMatch: assigned.ETag())).Read<CaseView>();
        contacted.FirstContactAt.ShouldBe(api.Time.GetUtcNow());

        var before = await Events(caseId);
        var unknown = await (await world.Act(caseId, "root-cause", new RootCauseRequest("RUDE"))).Problem(HttpStatusCode.BadRequest);
        unknown.ErrorPaths().ShouldBe(["code"]);
        (await Events(caseId)).ShouldBe(before);
        (await (await world.Act(caseId, "root-cause", new RootCauseRequest("WAIT"))).Read<CaseView>()).RootCause.ShouldBe("WAIT");

        api.Time.Advance(TimeSpan.FromHours(1));
        var resolved = await (await world.Act(caseId, "resolve", new ResolveRequest("Advisor coached; free check offered."))).Read<CaseView>();
        resolved.Status.ShouldBe(CaseStatus.Resolved);
        resolved.ResolvedAt.ShouldBe(api.Time.GetUtcNow());

        // the re-survey is an ordinary invitation, due now, which the dispatcher sends on the first usable channel
        var resurveyed = await (await world.Act(caseId, "resurvey", new ResurveyRequest())).Read<CaseView>();
        var invitationId = resurveyed.ResurveyInvitationId.ShouldNotBeNull();
        await (await world.Act(caseId, "resurvey", new ResurveyRequest())).Problem(HttpStatusCode.Conflict);
        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services).Run(CancellationToken.None);
        await using (var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant))
        {
            var invitation = (await session.LoadAsync<Invitation>(invitationId)).ShouldNotBeNull();
            invitation.ShouldSatisfyAllConditions(
                i => i.EventExternalId.ShouldBe($"case:{caseId}"),
                i => i.CustomerExternalId.ShouldBe("C-life-1"),
                i => i.DealerCode.ShouldBe("SH-PD-01"),
                i => i.QuestionnaireId.ShouldBe(world.QuestionnaireId),
                i => i.ChannelOrder.ShouldBe(["sms", "email"]),
                i => i.Status.ShouldBe(InvitationStatus.Sent),
                i => i.SentChannel.ShouldBe("sms"));
        }
        Directory.GetFiles(api.Outbox, $"{invitationId}*", SearchOption.AllDirectories).ShouldHaveSingleItem();

        api.Time.Advance(TimeSpan.FromDays(2));
        var reopened = await (await world.Act(caseId, "reopen", new ReopenRequest("The noise is back."))).Read<CaseView>();
        reopened.ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe(CaseStatus.Open),
            c => c.Round.ShouldBe(1),
            c => c.ResolvedAt.ShouldBeNull(),
            c => c.ResolutionDueAt.ShouldBe(api.Time.GetUtcNow().AddHours(72)),
            c => c.Timeline!.Select(t => t.What).ShouldBe(["opened", "assigned", "first-contact", "root-cause", "resolved", "resurveyed", "reopened"]));
    }

    [Fact]
    public async Task Steps_the_state_forbids_are_409_with_a_code_and_bad_input_400_with_paths_and_neither_changes_anything()
    {
        var world = await api.World();
        var caseId = await world.Detractor("C-life-2");
        var stranger = Guid.NewGuid();
        var before = await Events(caseId, stranger);

        async Task Conflict(string action, object body, string code) =>
            (await (await world.Act(caseId, action, body)).Problem(HttpStatusCode.Conflict))["code"]!.GetValue<string>().ShouldBe(code);

        await Conflict("resolve", new ResolveRequest("done"), "not-contacted");
        await Conflict("resurvey", new ResurveyRequest(), "case-not-resolved");
        await Conflict("reopen", new ReopenRequest("why"), "case-not-resolved");
        (await (await world.Act(caseId, "contacts", new ContactRequest("fax", new string('x', 2001)))).Problem(HttpStatusCode.BadRequest)).ErrorPaths()
            .ShouldBe(["channel", "note"], ignoreOrder: true);
        (await (await world.Act(caseId, "assign", new AssignRequest("", null))).Problem(HttpStatusCode.BadRequest)).ErrorPaths()
            .ShouldBe(["assigneeId", "assigneeName"], ignoreOrder: true);
        await (await world.Client.SendRaw(HttpMethod.Post, $"/api/cases/{caseId}/assign", """{ "assigneeId": 5 }""")).Problem(HttpStatusCode.BadRequest);
        await (await world.Act(caseId, "assign", new AssignRequest("u1", "A"), ifMatch: "W/\"1\"")).Problem(HttpStatusCode.BadRequest);
        await (await world.Act(stranger, "assign", new AssignRequest("u1", "A"))).Problem(HttpStatusCode.NotFound);
        (await Events(caseId, stranger)).ShouldBe(before);

        (await world.Act(caseId, "contacts", new ContactRequest("wechat", null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Conflict("resolve", new ResolveRequest("done"), "root-cause-missing");
        (await world.Act(caseId, "root-cause", new RootCauseRequest("PRICE"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Act(caseId, "resolve", new ResolveRequest("done"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Conflict("assign", new AssignRequest("u1", "A"), "case-resolved");
        await Conflict("contacts", new ContactRequest("phone", null), "case-resolved");
        await Conflict("resolve", new ResolveRequest("again"), "case-resolved");
    }

    [Fact]
    public async Task The_inbox_filters_pages_and_keeps_each_caller_inside_its_scope()
    {
        var world = await api.World();
        var east = await world.Detractor("C-inbox-1", "SH-PD-01");
        var south = await world.Detractor("C-inbox-2", "GZ-TH-01");
        (await world.Act(south, "assign", new AssignRequest("u-south", "Li Lei"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        async Task<Page<CaseView>> Inbox(string query, string? scope = null) => await (await world.Get($"/api/cases?{query}", scope)).Read<Page<CaseView>>();

        (await Inbox("dealer=SH-PD-01&pageSize=200")).Items.Select(c => c.Id).ShouldContain(east);
        (await Inbox("dealer=SH-PD-01&pageSize=200")).Items.ShouldAllBe(c => c.DealerCode == "SH-PD-01");
        (await Inbox("region=SOUTH&pageSize=200")).Items.Select(c => c.Id).ShouldContain(south);
        (await Inbox("assignee=u-south")).Items.Select(c => c.Id).ShouldBe([south]);
        await using (var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant))
            (await CaseQueries.CustomersWithOpenCasesAsync(session, ["C-inbox-1", "C-inbox-2", "C-nobody"], CancellationToken.None))
                .ShouldBe(["C-inbox-1", "C-inbox-2"], ignoreOrder: true);
        (await Inbox("unassigned=true&pageSize=200")).Items.Select(c => c.Id).ShouldNotContain(south);
        (await Inbox("status=resolved&pageSize=200")).Items.Select(c => c.Id).ShouldNotContain(east);
        var paged = await Inbox("pageSize=1&page=2");
        paged.ShouldSatisfyAllConditions(p => p.Items.Count.ShouldBe(1), p => p.PageNumber.ShouldBe(2), p => p.Total.ShouldBeGreaterThanOrEqualTo(2));
        (await (await world.Get("/api/cases?pageSize=0&status=closed")).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["pageSize", "status"], ignoreOrder: true);

        // overdue: nothing before the 24 h first-contact deadline, both after it
        (await Inbox("overdue=true&pageSize=200")).Items.Select(c => c.Id).ShouldNotContain(east);
        api.Time.Advance(TimeSpan.FromHours(25));
        var overdue = await Inbox("overdue=true&pageSize=200");
        overdue.Items.Select(c => c.Id).ShouldContain(east);
        overdue.Items.ShouldAllBe(c => c.FirstContactOverdue || c.ResolutionOverdue);
        (await Inbox("overdue=false&pageSize=200")).Items.Select(c => c.Id).ShouldNotContain(east);

        // a dealer sees its own cases only; another dealer's case does not exist for it
        var own = await Inbox("pageSize=200", "dealer:SH-PD-01");
        own.Items.ShouldAllBe(c => c.DealerCode == "SH-PD-01");
        own.Items.Select(c => c.Id).ShouldContain(east);
        await (await world.Get($"/api/cases/{south}", "dealer:SH-PD-01")).Problem(HttpStatusCode.NotFound);
        await (await world.Act(south, "contacts", new ContactRequest("phone", null), scope: "dealer:SH-PD-01")).Problem(HttpStatusCode.NotFound);
        (await Inbox("dealer=GZ-TH-01", "dealer:SH-PD-01")).Items.ShouldBeEmpty();
        (await world.Get($"/api/cases/{east}", "dealer:SH-PD-01")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // a regional manager sees the regions it runs
        (await Inbox("pageSize=200", "regions:SOUTH")).Items.ShouldAllBe(c => c.RegionCode == "SOUTH");
        await (await world.Get($"/api/cases/{east}", "regions:SOUTH")).Problem(HttpStatusCode.NotFound);
    }
}
