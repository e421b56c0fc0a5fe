using Survey.Domain.Cases;
using Survey.Domain.Common;
using static Survey.Tests.Domain.Cases.CaseSpec;

namespace Survey.Tests.Domain.Cases;

public class CaseDeciderTests
{
    private static readonly string[] Codes = ["WAIT", "PRICE"];
    private static readonly CaseContactLogged Contacted = new(CaseId, "phone", "called back", Opened.AddHours(2));
    private static readonly CaseRootCauseCoded Coded = new(CaseId, "WAIT", Opened.AddHours(3));
    private static readonly CaseResolved Resolved = new(CaseId, "apologised", Opened.AddHours(4));

    [Fact]
    public void Given_open_case_When_first_contact_logged_Then_it_is_the_first_contact_and_the_next_one_is_not()
    {
        var logged = Given(OpenedEvent()).When(new LogContact("phone", " called back ")).Then<CaseContactLogged>();
        logged.Note.ShouldBe("called back");
        var state = Given(OpenedEvent(), logged).State()!;
        state.FirstContactAt.ShouldBe(logged.ContactedAt);
        var second = Given(OpenedEvent(), logged).When(new LogContact("sms", null), Opened.AddHours(5)).Then<CaseContactLogged>();
        var after = Given(OpenedEvent(), logged, second).State()!;
        after.FirstContactAt.ShouldBe(logged.ContactedAt);
        after.Timeline.Select(t => t.What).ShouldBe(["opened", "first-contact", "contact"]);
    }

    [Fact]
    public void Given_open_case_When_resolved_without_contact_or_root_cause_Then_rejected_with_codes()
    {
        Given(OpenedEvent()).When(new ResolveCase("done")).ThenRejected<RuleViolationException>().Code.ShouldBe("not-contacted");
        Given(OpenedEvent(), Contacted).When(new ResolveCase("done")).ThenRejected<RuleViolationException>().Code.ShouldBe("root-cause-missing");
        Given(OpenedEvent(), Contacted, Coded).When(new ResolveCase("done")).Then<CaseResolved>().Note.ShouldBe("done");
    }

    [Fact]
    public void Given_resolved_case_When_assigned_contacted_coded_or_resolved_Then_case_resolved()
    {
        var spec = Given(OpenedEvent(), Contacted, Coded, Resolved);
        spec.When(new AssignCase("u1", "Zhang Wei")).ThenRejected<RuleViolationException>().Code.ShouldBe("case-resolved");
        spec.When(new LogContact("phone", null)).ThenRejected<RuleViolationException>().Code.ShouldBe("case-resolved");
        spec.When(new CodeRootCause("PRICE", Codes)).ThenRejected<RuleViolationException>().Code.ShouldBe("case-resolved");
        spec.When(new ResolveCase("again")).ThenRejected<RuleViolationException>().Code.ShouldBe("case-resolved");
    }

    [Fact]
    public void Given_open_case_When_resurveyed_or_reopened_Then_case_not_resolved()
    {
        Given(OpenedEvent()).When(new ResurveyCustomer(Guid.NewGuid(), Guid.NewGuid(), 1)).ThenRejected<RuleViolationException>().Code.ShouldBe("case-not-resolved");
        Given(OpenedEvent()).When(new ReopenCase("again", CaseSlaPolicy.Default)).ThenRejected<RuleViolationException>().Code.ShouldBe("case-not-resolved");
    }

    [Fact]
    public void Given_resolved_case_When_resurveyed_twice_Then_second_rejected_and_anonymous_case_has_nobody_to_ask()
    {
        var resurveyed = Given(OpenedEvent(), Contacted, Coded, Resolved).When(new ResurveyCustomer(Guid.NewGuid(), Guid.NewGuid(), 2)).Then<CaseCustomerResurveyed>();
        Given(OpenedEvent(), Contacted, Coded, Resolved, resurveyed).When(new ResurveyCustomer(Guid.NewGuid(), Guid.NewGuid(), 2))
            .ThenRejected<RuleViolationException>().Code.ShouldBe("already-resurveyed");
        Given(OpenedEvent(customer: null), Contacted, Coded, Resolved).When(new ResurveyCustomer(Guid.NewGuid(), Guid.NewGuid(), 2))
            .ThenRejected<RuleViolationException>().Code.ShouldBe("no-customer");
    }

    [Fact]
    public void Given_resolved_case_When_reopened_Then_new_round_with_resolution_due_from_now()
    {
        var now = Opened.AddDays(5);
        var reopened = Given(OpenedEvent(), Contacted, Coded, Resolved).When(new ReopenCase("noise is back", new CaseSlaPolicy(8, 48)), now).Then<CaseReopened>();
        reopened.ResolutionDueAt.ShouldBe(now.AddHours(48));
        var state = Given(OpenedEvent(), Contacted, Coded, Resolved, reopened).State()!;
        state.Status.ShouldBe(CaseStatus.Open);
        state.Round.ShouldBe(1);
        state.ResolvedAt.ShouldBeNull();
        state.FirstContactAt.ShouldBe(Contacted.ContactedAt); // first contact stays what it was
    }

    [Fact]
    public void Bad_input_is_reported_by_field_path()
    {
        var spec = Given(OpenedEvent());
        spec.When(new AssignCase(" ", null)).ThenRejected<InvalidInputException>().Problems.Select(p => p.Path).ShouldBe(["assigneeId", "assigneeName"]);
        spec.When(new LogContact("fax", new string('x', 2001))).ThenRejected<InvalidInputException>().Problems.Select(p => p.Path).ShouldBe(["channel", "note"]);
        spec.When(new CodeRootCause("RUDE", Codes)).ThenRejected<InvalidInputException>().Problems.ShouldHaveSingleItem().Code.ShouldBe("unknown-code");
        spec.When(new ResolveCase("")).ThenRejected<InvalidInputException>().Problems.ShouldHaveSingleItem().Path.ShouldBe("note");
        Given().When(new ResolveCase("x")).ThenRejected<NotFoundException>();
    }

    [Fact]
    public void Same_assignment_or_root_cause_again_records_nothing()
    {
        var assigned = new CaseAssigned(CaseId, "u1", "Zhang Wei", Opened.AddHours(1));
        Given(OpenedEvent(), assigned).When(new AssignCase("u1", "Zhang Wei")).ThenNothing();
        Given(OpenedEvent(), assigned).When(new AssignCase("u2", "Li Na")).Then<CaseAssigned>().AssigneeId.ShouldBe("u2");
        Given(OpenedEvent(), Coded).When(new CodeRootCause("WAIT", Codes)).ThenNothing();
    }
}
