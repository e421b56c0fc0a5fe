using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Cases.Actions;
using Survey.Api.Cases.Escalating;
using Survey.Api.Cases.Inbox;
using Survey.Domain.Cases;
using Survey.Tests.Channels;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Cases;

/// <summary>The API with its e-mail channel pointed at a real SMTP server process (aiosmtpd), started before the API.</summary>
public sealed class SmtpCasesFixture : CasesFixture, IAsyncLifetime
{
    public SmtpServerFixture Smtp { get; } = new();

    public Task InitializeAsync() => Smtp.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => Smtp.DisposeAsync();

    protected override IReadOnlyDictionary<string, string> Settings =>
        base.Settings.Concat(EmailSendingTests.Smtp(Smtp.Port).Select(kv => KeyValuePair.Create(kv.Key, kv.Value!))).ToDictionary();
}

public class EscalatingCasesTests(SmtpCasesFixture api) : IClassFixture<SmtpCasesFixture>
{
    private Task<long> Escalations(Guid caseId) =>
        TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_events where stream_id = '{caseId}' and type = 'case_escalated'");

    /// <summary>The job as Hangfire runs it, several times and twice at once, as retries and a second node would.</summary>
    private async Task RunJobRepeatedly()
    {
        var job = () => ActivatorUtilities.CreateInstance<CaseEscalationJob>(api.Services).Run(CancellationToken.None);
        await job();
        await Task.WhenAll(job(), job());
        await job();
    }

    private static string MessageId(Guid caseId, CaseSla sla, int round, string to) => $"{CaseIds.EscalationMessage(caseId, sla, round, to)}@survey.example.com";

    [Fact]
    public async Task Overdue_cases_escalate_once_per_SLA_and_the_regional_manager_gets_one_email_each_time()
    {
        var world = await api.World();
        var uncontacted = await world.Detractor("C-esc-1", "SH-PD-01");
        var contacted = await world.Detractor("C-esc-2", "GZ-TH-01");
        api.Time.Advance(TimeSpan.FromHours(2));
        (await world.Act(contacted, "contacts", new ContactRequest("phone", "reached"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        api.Time.Advance(TimeSpan.FromHours(22).Subtract(TimeSpan.FromMinutes(1)));
        await RunJobRepeatedly();
        (await Escalations(uncontacted)).ShouldBe(0);

        api.Time.Advance(TimeSpan.FromMinutes(2)); // 24 h and a minute after opening: first contact is overdue
        await RunJobRepeatedly();
        (await Escalations(uncontacted)).ShouldBe(1);
        (await Escalations(contacted)).ShouldBe(0);

        var firstContactMail = MessageId(uncontacted, CaseSla.FirstContact, 0, CaseWorld.EastManager);
        var mail = (await api.Smtp.WaitFor(firstContactMail)).ShouldHaveSingleItem();
        mail.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(CaseWorld.EastManager);
        var text = mail.TextBody.ShouldNotBeNull();
        var subject = mail.Subject.ShouldNotBeNull();
        subject.ShouldContain("上海浦东店");
        subject.ShouldContain("first contact");
        text.ShouldContain(uncontacted.ToString());
        text.ShouldContain("陈静");
        text.ShouldContain("NPS 3 on 'nps' is at most 6.");
        text.ShouldContain($"https://survey.example.cn/#/cases/{uncontacted}");
        foreach (var personal in new[] { "王伟", "1381234", "wang.wei", "等了两个小时" }) text.ShouldNotContain(personal);

        var view = await (await world.Get($"/api/cases/{uncontacted}")).Read<CaseView>();
        view.Escalated.ShouldBeTrue();
        view.FirstContactOverdue.ShouldBeTrue();
        view.Timeline!.Select(t => t.What).ShouldBe(["opened", "escalated", "escalation-notified"]);
        view.Timeline![^1].Detail.ShouldBe("first-contact: sent (1 recipients)");

        // 72 h: both cases are past resolution; each region's manager hears of its own case, once
        api.Time.Advance(TimeSpan.FromHours(48));
        await RunJobRepeatedly();
        (await Escalations(uncontacted)).ShouldBe(2);
        (await Escalations(contacted)).ShouldBe(1);
        (await api.Smtp.WaitFor(MessageId(contacted, CaseSla.Resolution, 0, CaseWorld.SouthManager))).ShouldHaveSingleItem()
            .To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe(CaseWorld.SouthManager);
        (await api.Smtp.WaitFor(MessageId(uncontacted, CaseSla.Resolution, 0, CaseWorld.EastManager))).ShouldHaveSingleItem();

        await Task.Delay(300); // a duplicate would have arrived by now
        var delivered = api.Smtp.Delivered();
        delivered.Count(m => m.MessageId == firstContactMail).ShouldBe(1);
        delivered.Count(m => m.MessageId == MessageId(contacted, CaseSla.Resolution, 0, CaseWorld.SouthManager)).ShouldBe(1);
        delivered.Count(m => m.MessageId == MessageId(uncontacted, CaseSla.Resolution, 0, CaseWorld.EastManager)).ShouldBe(1);
    }

    [Fact]
    public async Task A_reopened_case_escalates_again_in_its_new_round_and_a_resolved_one_never()
    {
        var world = await api.World();
        var caseId = await world.Detractor("C-esc-3", "GZ-TH-01");
        (await world.Act(caseId, "contacts", new ContactRequest("phone", null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Act(caseId, "root-cause", new RootCauseRequest("WAIT"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Act(caseId, "resolve", new ResolveRequest("sorted"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Time.Advance(TimeSpan.FromDays(10));
        await RunJobRepeatedly();
        (await Escalations(caseId)).ShouldBe(0);

        (await world.Act(caseId, "reopen", new ReopenRequest("called again"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Time.Advance(TimeSpan.FromHours(72));
        await RunJobRepeatedly();
        (await Escalations(caseId)).ShouldBe(1);
        (await api.Smtp.WaitFor(MessageId(caseId, CaseSla.Resolution, 1, CaseWorld.SouthManager))).ShouldHaveSingleItem();
    }
}
