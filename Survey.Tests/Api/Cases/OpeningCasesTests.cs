using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Domain.Invitations;
using Survey.Api.Cases.Inbox;
using Survey.Domain.Cases;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Cases;

public class OpeningCasesTests(CasesFixture api) : IClassFixture<CasesFixture>
{
    private Task<CaseWorld> World() => api.World();

    private Task<long> Count(string sql) => TestPostgres.ScalarAsync(api.ConnectionString, sql);

    [Fact]
    public async Task A_detractor_opens_one_case_for_the_invitations_dealer_and_region_holding_references_only()
    {
        var world = await World();
        var token = await world.Invitation("C-open-1", "SH-PD-01");
        var responseId = await world.Answer(token, new { nps = 3, csat = 2, comment = "等了两个小时，王伟 13812345678" });

        var view = await (await world.Get($"/api/cases/{CaseIds.ForResponse(responseId)}")).Read<CaseView>();
        view.ShouldSatisfyAllConditions(
            v => v.Status.ShouldBe(CaseStatus.Open),
            v => v.ResponseId.ShouldBe(responseId),
            v => v.DealerCode.ShouldBe("SH-PD-01"),
            v => v.RegionCode.ShouldBe("EAST"),
            v => v.CustomerExternalId.ShouldBe("C-open-1"),
            v => v.OpenedAt.ShouldBe(api.Time.GetUtcNow()),
            v => v.FirstContactDueAt.ShouldBe(api.Time.GetUtcNow().AddHours(24)),
            v => v.ResolutionDueAt.ShouldBe(api.Time.GetUtcNow().AddHours(72)),
            v => v.Rules.ShouldHaveSingleItem().ShouldBe(new MatchedRule(world.DetractorRule, 1, "Detractors", "NPS 3 on 'nps' is at most 6.")),
            v => v.Timeline!.Select(t => t.What).ShouldBe(["opened"]));

        // personal data rule: neither the event nor the document copies names, contact points or free text
        var stored = await TestPostgres.TextAsync(api.ConnectionString,
            $"select string_agg(data::text, ' ') from (select data from survey.mt_events where stream_id = '{view.Id}' union all select data from survey.mt_doc_case where id = '{view.Id}') x");
        stored.ShouldNotBeNull();
        foreach (var personal in new[] { "王伟", "1381234", "wang.wei", "等了两个小时" }) stored.ShouldNotContain(personal);
    }

    [Fact]
    public async Task The_case_detail_says_whom_to_call_and_what_they_wrote_masked_for_dealer_staff_and_hidden_from_analysts()
    {
        var world = await World();
        var caseId = await world.Detractor("C-open-who");
        var url = $"/api/cases/{caseId}";

        var manager = await (await api.ClientFor(Survey.Api.Security.Roles.DealerManager, dealer: "SH-PD-01").GetAsync(url)).Read<CaseView>();
        manager.Customer.ShouldBe(new CaseCustomer("C-open-who", "王伟", "+8613812345678", "wang.wei@example.com", "zh-CN", Masked: false));
        manager.Said.ShouldNotBeNull().ShouldHaveSingleItem().Text.ShouldBe("等了两个小时，王伟 13812345678");

        var staff = await (await api.ClientFor(Survey.Api.Security.Roles.DealerStaff, dealer: "SH-PD-01").GetAsync(url)).Read<CaseView>();
        staff.Customer.ShouldNotBeNull().Masked.ShouldBeTrue();
        staff.Customer.Mobile.ShouldNotBeNull().ShouldNotContain("1234");
        staff.Customer.Email.ShouldNotBeNull().ShouldNotContain("wang.wei");
        staff.Customer.Name.ShouldNotBe("王伟");

        var analystAnswer = await (await api.ClientFor(Survey.Api.Security.Roles.Analyst).GetAsync(url)).Content.ReadAsStringAsync();
        foreach (var personal in new[] { "王伟", "1381234", "wang.wei", "等了两个小时" }) analystAnswer.ShouldNotContain(personal);
        analystAnswer.ShouldContain(caseId.ToString());

        // lists stay lean: no customer, nothing said
        var list = await (await world.Get("/api/cases?dealer=SH-PD-01")).Content.ReadAsStringAsync();
        list.ShouldContain(caseId.ToString());
        list.ShouldNotContain("等了两个小时");
    }

    [Fact]
    public async Task A_completion_sent_again_and_again_even_at_the_same_time_opens_exactly_one_case()
    {
        var world = await World();
        var token = await world.Invitation("C-open-2", "GZ-TH-01");
        var responseId = Guid.NewGuid();
        (await world.Respondent.Start(responseId, new Survey.Api.Respondents.Answering.SourceView("invitation", Token: token))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var answers = new { nps = 1, csat = 1 };
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => world.Respondent.Complete(responseId, 4, answers)));
        attempts.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeGreaterThanOrEqualTo(1);
        attempts.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict); // a loser of the race is told to retry
        (await world.Respondent.Complete(responseId, 4, answers)).StatusCode.ShouldBe(HttpStatusCode.OK); // the client's retry after a lost answer

        var caseId = CaseIds.ForResponse(responseId);
        (await Count($"select count(*) from survey.mt_events where type = 'case_opened' and data ->> 'responseId' = '{responseId}'")).ShouldBe(1);
        (await Count($"select count(*) from survey.mt_events where type = 'response_completed' and stream_id = '{responseId}'")).ShouldBe(1);
        (await (await world.Get($"/api/cases/{caseId}")).Read<CaseView>()).RegionCode.ShouldBe("SOUTH");
    }

    [Fact]
    public async Task While_a_case_is_open_the_customer_is_not_surveyed_again_and_the_suppression_says_why()
    {
        var world = await World();
        await world.Detractor("C-fatigue-1");
        api.Time.Advance(TimeSpan.FromDays(40)); // past the one-invitation-per-30-days rule: only the open case stands in the way

        await world.Visit("C-fatigue-1", "GZ-TH-01", "RO-fatigue-2");

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Survey.Api.Storage.Tenancy.DefaultTenant);
        var invitations = await session.Query<Invitation>().Where(i => i.CustomerExternalId == "C-fatigue-1").ToListAsync();
        invitations.Count.ShouldBe(2, "the answered one and the one the second visit would have sent");
        var latest = invitations.OrderBy(i => i.CreatedAt).Last();
        latest.Status.ShouldBe(InvitationStatus.Suppressed);
        latest.Timeline.Last().Detail!.ShouldContain("open case");
    }

    [Fact]
    public async Task A_promoter_opens_nothing()
    {
        var world = await World();
        var responseId = await world.Answer(await world.Invitation("C-open-3", "SH-PD-01"), new { nps = 9, comment = "great" });
        await (await world.Get($"/api/cases/{CaseIds.ForResponse(responseId)}")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_keyword_in_an_open_link_response_opens_a_tenant_level_case_without_dealer_or_customer()
    {
        var world = await World();
        var rule = Guid.NewGuid();
        await world.Put($"/api/case-rules/{rule}", new CaseRuleDefinition("Refunds", new CaseCondition(CaseConditionKind.TextContains, Keywords: ["退款", "refund"])));
        var link = await world.Respondent.Link(world.QuestionnaireId);
        var responseId = Guid.NewGuid();
        (await world.Respondent.Start(responseId, new Survey.Api.Respondents.Answering.SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.Respondent.Complete(responseId, 1, new { nps = 8, comment = "I want a REFUND now" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var view = await (await world.Get($"/api/cases/{CaseIds.ForResponse(responseId)}")).Read<CaseView>();
        view.DealerCode.ShouldBeNull();
        view.RegionCode.ShouldBeNull();
        view.CustomerExternalId.ShouldBeNull();
        view.Rules.ShouldHaveSingleItem().Reason.ShouldBe("The answer to 'comment' mentions 'refund'.");
        (await world.Client.DeleteAsync($"/api/case-rules/{rule}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Rules_are_versioned_and_bad_rules_are_400_with_paths_and_change_nothing()
    {
        var world = await World();
        var rule = Guid.NewGuid();
        var first = await world.Client.Send(HttpMethod.Put, $"/api/case-rules/{rule}", new CaseRuleDefinition("Unhappy", new CaseCondition(CaseConditionKind.CsatAtMost, Threshold: 2), Active: false));
        (await first.Read<CaseRule>()).RuleVersion.ShouldBe(1);
        var second = await world.Client.Send(HttpMethod.Put, $"/api/case-rules/{rule}", new CaseRuleDefinition("Unhappy", new CaseCondition(CaseConditionKind.CsatAtMost, Threshold: 1), Active: false), first.ETag());
        (await second.Read<CaseRule>()).RuleVersion.ShouldBe(2);
        await (await world.Client.Send(HttpMethod.Put, $"/api/case-rules/{rule}", new CaseRuleDefinition("Unhappy", new CaseCondition(CaseConditionKind.CsatAtMost, Threshold: 3)), first.ETag()))
            .Problem(HttpStatusCode.PreconditionFailed);

        var events = await Count("select count(*) from survey.mt_events");
        var bad = await (await world.Client.SendRaw(HttpMethod.Put, $"/api/case-rules/{Guid.NewGuid()}",
            """{ "name": "", "condition": { "kind": "choiceSelected", "choice": "" } }""")).Problem(HttpStatusCode.BadRequest);
        bad.ErrorPaths().ShouldBe(["name", "condition.questionKey", "condition.choice"], ignoreOrder: true);
        await (await world.Client.SendRaw(HttpMethod.Put, $"/api/case-rules/{Guid.NewGuid()}",
            """{ "name": "x", "condition": { "kind": "npsBelow", "threshold": 6 } }""")).Problem(HttpStatusCode.BadRequest);
        (await Count("select count(*) from survey.mt_events")).ShouldBe(events);
        (await Count($"select count(*) from survey.mt_events where stream_id = '{rule}' and type = 'case_rule_defined'")).ShouldBe(2);
    }
}
