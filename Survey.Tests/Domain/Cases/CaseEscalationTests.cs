using Case = Survey.Domain.Cases.Case;
using Survey.Domain.Cases;
using static Survey.Tests.Domain.Cases.CaseSpec;

namespace Survey.Tests.Domain.Cases;

public class CaseEscalationTests
{
    private static Case State(params object[] events) => Given([OpenedEvent(), .. events]).State()!;

    [Fact]
    public void Nothing_is_due_before_the_first_contact_deadline()
    {
        CaseEscalation.Due(State(), Opened.AddHours(24).AddTicks(-1)).ShouldBeEmpty();
    }

    [Fact]
    public void First_contact_overdue_escalates_once()
    {
        var escalated = CaseEscalation.Due(State(), Opened.AddHours(24)).ShouldHaveSingleItem().ShouldBeOfType<CaseEscalated>();
        escalated.ShouldSatisfyAllConditions(e => e.Sla.ShouldBe(CaseSla.FirstContact), e => e.RegionCode.ShouldBe("EAST"), e => e.DueAt.ShouldBe(Opened.AddHours(24)));
        var after = State(escalated);
        CaseEscalation.Due(after, Opened.AddHours(30)).ShouldBeEmpty();
        after.PendingNotifications.ShouldBe([new PendingNotification(CaseSla.FirstContact, 0)]);
    }

    [Fact]
    public void A_contacted_case_escalates_only_for_resolution_and_a_reopened_case_again_in_its_new_round()
    {
        var contacted = new CaseContactLogged(CaseId, "phone", null, Opened.AddHours(2));
        var state = State(contacted);
        CaseEscalation.Due(state, Opened.AddHours(71)).ShouldBeEmpty();
        var resolution = CaseEscalation.Due(state, Opened.AddHours(72)).ShouldHaveSingleItem().ShouldBeOfType<CaseEscalated>();
        resolution.ShouldSatisfyAllConditions(e => e.Sla.ShouldBe(CaseSla.Resolution), e => e.Round.ShouldBe(0));

        var coded = new CaseRootCauseCoded(CaseId, "WAIT", Opened.AddHours(73));
        var resolved = new CaseResolved(CaseId, "ok", Opened.AddHours(74));
        var reopened = new CaseReopened(CaseId, "again", Opened.AddHours(100 + 72), Opened.AddHours(100));
        var later = State(contacted, resolution, coded, resolved, reopened);
        CaseEscalation.Due(later, Opened.AddHours(171)).ShouldBeEmpty();
        CaseEscalation.Due(later, Opened.AddHours(172)).ShouldHaveSingleItem().ShouldBeOfType<CaseEscalated>().Round.ShouldBe(1);
    }

    [Fact]
    public void Both_slas_passed_at_once_escalate_both_and_a_resolved_case_never()
    {
        CaseEscalation.Due(State(), Opened.AddHours(80)).Select(e => ((CaseEscalated)e).Sla).ShouldBe([CaseSla.FirstContact, CaseSla.Resolution]);
        var resolvedBeforeDue = State(new CaseContactLogged(CaseId, "phone", null, Opened.AddHours(1)), new CaseRootCauseCoded(CaseId, "WAIT", Opened.AddHours(1)),
            new CaseResolved(CaseId, "ok", Opened.AddHours(2)));
        CaseEscalation.Due(resolvedBeforeDue, Opened.AddDays(30)).ShouldBeEmpty();
    }

    [Fact]
    public void A_notification_is_recorded_once()
    {
        var escalated = new CaseEscalated(CaseId, CaseSla.FirstContact, 0, "EAST", Opened.AddHours(24), Opened.AddHours(24));
        var state = State(escalated);
        var notified = CaseEscalation.Notified(state, CaseSla.FirstContact, 0, 1, "sent", Opened.AddHours(24)).ShouldHaveSingleItem().ShouldBeOfType<CaseEscalationNotified>();
        var after = State(escalated, notified);
        after.PendingNotifications.ShouldBeEmpty();
        CaseEscalation.Notified(after, CaseSla.FirstContact, 0, 1, "sent", Opened.AddHours(25)).ShouldBeEmpty();
    }

    [Fact]
    public void Name_based_ids_are_stable_and_distinct()
    {
        var response = Guid.NewGuid();
        CaseIds.ForResponse(response).ShouldBe(CaseIds.ForResponse(response));
        CaseIds.ForResponse(response).ShouldNotBe(CaseIds.ForResponse(Guid.NewGuid()));
        CaseIds.ResurveyInvitation(CaseId, 0).ShouldNotBe(CaseIds.ResurveyInvitation(CaseId, 1));
        CaseIds.EscalationMessage(CaseId, CaseSla.FirstContact, 0, "A@x.cn").ShouldBe(CaseIds.EscalationMessage(CaseId, CaseSla.FirstContact, 0, "a@x.cn"));
    }
}
