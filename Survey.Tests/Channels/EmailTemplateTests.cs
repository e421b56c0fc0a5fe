using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class EmailTemplateTests
{
    [Fact]
    public void The_NPS_row_is_eleven_links_to_the_hosted_page_with_the_score_preselected()
    {
        EmailNps.Links("https://survey.example.com/s/tok").Select(l => (l.Score, l.Url)).ShouldBe(
            Enumerable.Range(0, 11).Select(s => (s, $"https://survey.example.com/s/tok?score={s}")));
    }

    [Fact]
    public void Score_links_keep_an_existing_query_and_fragment()
    {
        EmailNps.Links("https://survey.example.com/s/tok?locale=en#top", 9, 10).Select(l => l.Url).ShouldBe([
            "https://survey.example.com/s/tok?locale=en&score=9#top",
            "https://survey.example.com/s/tok?locale=en&score=10#top",
        ]);
    }

    [Fact]
    public void English_wording_is_used_for_other_locales_and_the_questionnaire_question_wins()
    {
        var email = InvitationEmail.Render(new InvitationEmailContent("en-GB", "https://survey.example.com/s/tok", "Star Motors",
            RecipientName: "Ms Wang", DealerName: "Harbour Motors", Question: "How likely are you to recommend Harbour Motors?"));

        email.Subject.ShouldBe("How was your visit to Harbour Motors?");
        email.Text.ShouldStartWith("Dear Ms Wang,\n\nThank you for choosing Harbour Motors recently.");
        email.Text.ShouldContain("How likely are you to recommend Harbour Motors?\n\n0 (Not at all likely): https://survey.example.com/s/tok?score=0\n1: ");
        email.Text.ShouldContain("10 (Extremely likely): https://survey.example.com/s/tok?score=10\n");
        email.Html.ShouldContain("<html lang=\"en\">");
        email.Html.ShouldNotContain("Unsubscribe"); // no unsubscribe link was given
    }

    [Fact]
    public void Names_are_HTML_encoded()
    {
        var email = InvitationEmail.Render(new InvitationEmailContent("zh-CN", "https://survey.example.com/s/tok?a=1&b=2", "A&B <汽车>",
            UnsubscribeUrl: "https://survey.example.com/u/tok", DealerName: "\"浦东\"店"));

        email.Html.ShouldContain("A&amp;B &lt;汽车&gt;");
        email.Html.ShouldContain("&quot;浦东&quot;店");
        email.Html.ShouldNotContain("<汽车>");
        email.Html.ShouldContain("href=\"https://survey.example.com/s/tok?a=1&amp;b=2&amp;score=7\"");
        email.Text.ShouldContain("https://survey.example.com/s/tok?a=1&b=2&score=7");
    }

    [Fact]
    public void The_score_row_is_a_table_with_inline_styles()
    {
        var html = InvitationEmail.Render(new InvitationEmailContent("zh-CN", Messages.SurveyUrl, "星辰汽车")).Html;

        Regex.Matches(html, "<td align=\"center\" width=\"8%\"[^>]*style=\"[^\"]+\"><a href=\"[^\"]+score=\\d+\"").Count.ShouldBe(11);
        html.ShouldNotContain("<style");
        html.ShouldNotContain("<script");
    }

    /// <summary>
    /// The sample behind docs/screenshots/email-invitation.png: written next to the test assembly and rendered by Debian's
    /// chromium, as a person would see it.
    /// </summary>
    [Fact]
    public async Task The_sample_invitation_renders_in_chromium()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "email-samples");
        Directory.CreateDirectory(folder);
        var html = Path.Combine(folder, "email-invitation.zh-CN.html");
        await File.WriteAllTextAsync(html, Messages.Email(Guid.NewGuid()).Html);
        await File.WriteAllTextAsync(Path.Combine(folder, "email-invitation.en.html"), Messages.Email(Guid.NewGuid(), locale: "en", dealer: "Harbour Motors Pudong").Html);
        var png = Path.Combine(folder, "email-invitation.zh-CN.png");
        File.Delete(png);

        using var chromium = Process.Start(new ProcessStartInfo("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
             $"--screenshot={png}", "--window-size=720,560", new Uri(html).AbsoluteUri])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = chromium.StandardError.ReadToEndAsync();
        await chromium.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        File.Exists(png).ShouldBeTrue(await stderr);
        new FileInfo(png).Length.ShouldBeGreaterThan(10_000);
    }

    [Fact]
    public void The_HTML_carries_the_links_in_decodable_form()
    {
        var html = Messages.Email(Guid.NewGuid()).Html!;
        var hrefs = Regex.Matches(html, "href=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

        hrefs.ShouldBe([.. EmailNps.Links(Messages.SurveyUrl).Select(l => l.Url), Messages.SurveyUrl, Messages.UnsubscribeUrl]);
    }
}
