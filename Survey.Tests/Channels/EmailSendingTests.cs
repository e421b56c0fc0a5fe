using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class EmailSendingTests(SmtpServerFixture smtp) : IClassFixture<SmtpServerFixture>
{
    private static Dictionary<string, string?> Smtp(int port) => new()
    {
        ["Channels:Email:Host"] = "127.0.0.1",
        ["Channels:Email:Port"] = port.ToString(),
        ["Channels:Email:TlsMode"] = "None",
        ["Channels:Email:FromAddress"] = "survey@survey.example.com",
        ["Channels:Email:FromName"] = "星辰汽车客户体验",
        ["Channels:Email:UnsubscribeMailto"] = "unsubscribe@survey.example.com",
        ["Channels:Email:Timeout"] = "00:00:05",
    };

    [Fact]
    public async Task An_invitation_reaches_the_SMTP_server_with_both_bodies_the_headers_and_eleven_score_links()
    {
        using var services = new ChannelServices(Smtp(smtp.Port));
        var invitationId = Guid.NewGuid();
        var message = Messages.Email(invitationId);

        var result = await services.Get<EmailSender>().Send(message, CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.Accepted, result.Error);
        result.ProviderMessageId.ShouldBe($"<{invitationId}@survey.example.com>");
        var delivered = (await smtp.WaitFor($"{invitationId}@survey.example.com")).ShouldHaveSingleItem();

        delivered.From.Mailboxes.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            from => from.Address.ShouldBe("survey@survey.example.com"),
            from => from.Name.ShouldBe("星辰汽车客户体验"));
        delivered.To.Mailboxes.ShouldHaveSingleItem().Address.ShouldBe("wang.fang@example.com");
        delivered.Subject.ShouldBe("您在上海浦东店的体验如何？");
        delivered.Headers["List-Unsubscribe"].ShouldBe(
            $"<{Messages.UnsubscribeUrl}>, <mailto:unsubscribe@survey.example.com?subject=unsubscribe%20{invitationId}>");
        delivered.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        delivered.Body!.Headers["Content-Language"].ShouldBe("zh-CN");

        var alternative = delivered.Body.ShouldBeOfType<MultipartAlternative>();
        alternative.Select(p => p.ContentType.MimeType).ShouldBe(["text/plain", "text/html"]);
        delivered.TextBody!.ShouldContain("王芳女士，您好：");
        delivered.TextBody!.ShouldContain("您向朋友或同事推荐上海浦东店的可能性有多大？");
        delivered.HtmlBody!.ShouldContain("感谢您近期光临上海浦东店。");
        delivered.HtmlBody!.ShouldContain("退订此类邮件");
        delivered.HtmlBody!.ShouldContain($"href=\"{Messages.UnsubscribeUrl}\"");

        var htmlLinks = Regex.Matches(delivered.HtmlBody!, "href=\"([^\"]*score=[^\"]*)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        htmlLinks.ShouldBe(Enumerable.Range(0, 11).Select(score => $"{Messages.SurveyUrl}?score={score}"));
        var textLinks = Regex.Matches(delivered.TextBody!, @"https://\S*score=\d+").Select(m => m.Value).ToList();
        textLinks.ShouldBe(htmlLinks);

        services.Logs.ShouldNotContain(line => line.Contains("wang.fang"));
        services.Logs.ShouldContain(line => line.Contains(invitationId.ToString()));
    }

    [Fact]
    public async Task A_resend_carries_the_same_Message_ID_so_it_is_recognisable()
    {
        using var services = new ChannelServices(Smtp(smtp.Port));
        var invitationId = Guid.NewGuid();
        var sender = services.Get<EmailSender>();

        (await sender.Send(Messages.Email(invitationId, locale: "en", dealer: "Harbour Motors"), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);
        (await sender.Send(Messages.Email(invitationId, locale: "en", dealer: "Harbour Motors"), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);

        var copies = await smtp.WaitFor($"{invitationId}@survey.example.com", count: 2);
        copies.Count.ShouldBe(2);
        copies.ShouldAllBe(m => m.Subject == "How was your visit to Harbour Motors?");
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_transient_failure()
    {
        using var services = new ChannelServices(Smtp(SmtpServerFixture.FreePort()));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error!.ShouldStartWith("Could not reach the SMTP server");
    }

    [Fact]
    public async Task A_recipient_refused_with_5xx_is_a_permanent_failure_and_the_address_stays_out_of_the_error()
    {
        await using var server = new ScriptedSmtpServer("550 5.1.1 <wang.fang@example.com>: Recipient address rejected: User unknown");
        using var services = new ChannelServices(Smtp(server.Port));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.PermanentFailure);
        result.Error!.ShouldContain("550");
        result.Error!.ShouldNotContain("wang.fang");
        server.MessagesReceived.ShouldBe(0);
    }

    [Fact]
    public async Task A_recipient_deferred_with_4xx_is_a_transient_failure()
    {
        await using var server = new ScriptedSmtpServer("451 4.7.1 Greylisted, try again later");
        using var services = new ChannelServices(Smtp(server.Port));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error!.ShouldContain("451");
    }

    [Fact]
    public async Task A_connection_lost_before_the_data_is_transient_and_one_lost_after_the_data_is_uncertain()
    {
        await using var beforeData = new ScriptedSmtpServer(drop: ScriptedSmtpServer.Drop.AfterRecipient);
        await using var afterData = new ScriptedSmtpServer(drop: ScriptedSmtpServer.Drop.AfterData);
        using var before = new ChannelServices(Smtp(beforeData.Port));
        using var after = new ChannelServices(Smtp(afterData.Port));

        var transient = await before.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);
        var uncertain = await after.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        transient.Outcome.ShouldBe(SendOutcome.TransientFailure, transient.Error);
        beforeData.MessagesReceived.ShouldBe(0);
        uncertain.Outcome.ShouldBe(SendOutcome.Uncertain, uncertain.Error);
        afterData.MessagesReceived.ShouldBe(1);
    }

    [Fact]
    public async Task An_address_that_is_not_one_is_refused_without_calling_the_server()
    {
        await using var server = new ScriptedSmtpServer();
        using var services = new ChannelServices(Smtp(server.Port));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid(), to: "not an address"), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.PermanentFailure);
        server.MessagesReceived.ShouldBe(0);
    }
}
