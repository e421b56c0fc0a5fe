using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class EmailSendingTests(SmtpServerFixture smtp) : IClassFixture<SmtpServerFixture>
{
    internal static Dictionary<string, string?> Smtp(int port) => new()
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

    [Theory]
    [InlineData("zh-CN", "")]
    [InlineData("en", "")]
    [InlineData("en", "From the dealer: thank you\n")] // a line MimeKit quotes (mbox "From ")
    [InlineData("en", "\0")]                             // a NUL: base64
    [InlineData("zh-CN", "long")]                         // a line over 998 octets: quoted-printable
    public void The_transfer_encoding_of_each_part_is_what_MimeKits_own_scan_chooses_for_every_kind_of_server(string locale, string extra)
    {
        var message = Messages.Email(Guid.NewGuid(), locale: locale);
        message = message with { Text = (extra == "long" ? new string('长', 400) + "\n" : extra) + message.Text };
        var settings = new EmailOptions { FromAddress = "survey@survey.example.com" };
        foreach (var constraint in new[] { EncodingConstraint.None, EncodingConstraint.EightBit, EncodingConstraint.SevenBit })
        {
            // what MailKit does before each send (SmtpClient.MaxLineLength), against the same parts as MimeKit's BodyBuilder makes them
            var ours = EmailSender.Compose(message, settings, DateTimeOffset.UnixEpoch);
            ours.Prepare(constraint, 998);
            var plain = new MimeMessage { Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody() };
            plain.Prepare(constraint, 998);
            ours.BodyParts.OfType<TextPart>().Select(p => p.ContentTransferEncoding)
                .ShouldBe(plain.BodyParts.OfType<TextPart>().Select(p => p.ContentTransferEncoding == ContentEncoding.Default ? ContentEncoding.SevenBit : p.ContentTransferEncoding),
                    $"{locale} {constraint}");
        }
    }
}
