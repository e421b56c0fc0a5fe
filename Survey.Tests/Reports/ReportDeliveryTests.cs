using System.Net;
using System.Security.Cryptography;
using Hangfire;
using Hangfire.Storage;
using Marten.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Survey.Api.Reports;
using Survey.Api.Reports.Delivering;
using Survey.Api.Security;
using Survey.Domain.Operations;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Reports;

/// <summary>
/// Region reports made from data given through the API, e-mailed by the tenant's delivery job to a real SMTP server, and the
/// role-scoped downloads. Two tenants share the database; each report holds only its own tenant's dealers.
/// E1: NPS 10 9 9 7 3 0 → (3 − 2) / 6 = 16.7; E2: 10 10 8 8 6 → 20; EAST: (5 − 3) / 11 = 18.2; W1: 10 10 10 9 9 → 100.
/// </summary>
public class ReportDeliveryTests(ReportDeliveryFixture api) : IClassFixture<ReportDeliveryFixture>
{
    private const string Other = "other-brand";
    private const string November = "2026-11";
    private const string Pii = "13812345678";
    private const string PiiMail = "wang.wei@example.com";
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<ReportDeliveryFixture> Seeded = [];

    private static readonly ManagerContact Chen = new("陈静", "chen.jing@example.cn", "regional manager", "zh-CN");
    private static readonly ManagerContact Anna = new("Anna Smith", "anna.smith@example.com", "regional manager", "en");
    private static readonly ManagerContact Li = new("李强", "li.qiang@example.cn", "regional manager");
    private static readonly ManagerContact Zhao = new("赵敏", "zhao.min@other.example", "regional manager", "en");

    private async Task Seed()
    {
        await Once.WaitAsync();
        try
        {
            if (Seeded.Contains(api)) return;
            var main = new ReportWorld(api, "default");
            await main.Setup(
                [("EAST", new LocalizedName("华东区", "East"), [Chen, Anna]), ("WEST", new LocalizedName("华西区", "West"), [Li])],
                [("E1", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST"), ("E2", new LocalizedName("杭州西湖店", "Hangzhou West Lake"), "EAST"),
                 ("W1", new LocalizedName("成都高新店", "Chengdu Hi-Tech"), "WEST")]);
            var other = new ReportWorld(api, Other);
            await other.Setup([("NORTH", new LocalizedName("华北区", "North"), [Zhao])], [("N1", new LocalizedName("北京朝阳店", "Beijing Chaoyang"), "NORTH")]);

            foreach (var (nps, lounge, comment) in new (int, int, string?)[] { (10, 5, "Great lounge"), (9, 4, null), (9, 4, null), (7, 3, null), (3, 2, "Rude staff"),
                         (0, 1, $"等了两个小时，请打 {Pii} 或写信到 {PiiMail}") })
                await main.Answer("E1", nps, lounge, comment);
            foreach (var (nps, lounge) in new[] { (10, 5), (10, 5), (8, 4), (8, 4), (6, 3) }) await main.Answer("E2", nps, lounge);
            foreach (var nps in new[] { 10, 10, 10, 9, 9 }) await main.Answer("W1", nps, 5);
            foreach (var nps in new[] { 10, 9, 8, 2, 1 }) await other.Answer("N1", nps, 3, "北京的服务一般");
            await api.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            Seeded.Add(api);
        }
        finally { Once.Release(); }
    }

    private static ReportSettingsRequest Monthly(string language = "zh-CN") => new(true, "0 8 1 * *", "Asia/Shanghai", Survey.Domain.Analytics.Periods.PeriodKind.Month, language, "极光汽车 Aurora Motors", null);

    private async Task<DeliveryRun> RunAs(string tenant, string period, bool force)
    {
        using var scope = api.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ReportDeliveryJob>().Deliver(tenant, Survey.Api.Reports.Data.ReportPeriods.Parse(period), force, CancellationToken.None);
    }

    private IReadOnlyList<MimeMessage> MailTo(string address, string period = November) =>
        api.Smtp.Delivered().Where(m => m.To.Mailboxes.Any(b => b.Address == address) && (m.Subject ?? "").EndsWith(period, StringComparison.Ordinal)).ToList();

    private static (PdfText Pdf, byte[] Bytes) Attachment(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().ShouldHaveSingleItem();
        part.ContentType.MimeType.ShouldBe("application/pdf");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        var bytes = stream.ToArray();
        return (new PdfText(bytes), bytes);
    }

    [Fact]
    public async Task The_scheduled_job_mails_each_manager_their_region_report_once_per_period_and_force_sends_again()
    {
        await Seed();
        var settings = await (await api.CreateClient().Send(HttpMethod.Put, "/api/reports/settings", Monthly())).Read<ReportSettings>();
        settings.Enabled.ShouldBeTrue();
        using (var connection = api.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var registered = connection.GetRecurringJobs().Single(j => j.Id == ReportDeliveryJob.JobId("default"));
            registered.Cron.ShouldBe("0 8 1 * *");
            registered.TimeZoneId.ShouldBe("Asia/Shanghai");
            registered.Job.Args[0].ShouldBe("default"); // the tenant id, nothing else
        }
        (await api.ClientFor(Roles.Administrator, Other).Send(HttpMethod.Put, "/api/reports/settings", Monthly("en"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // the 1st of December, 08:00 in Shanghai: the job reports on November
        api.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 30, TimeSpan.Zero));
        using (var scope = api.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ReportDeliveryJob>().RunScheduled("default", CancellationToken.None);

        var chen = MailTo(Chen.Email).ShouldHaveSingleItem();
        var anna = MailTo(Anna.Email).ShouldHaveSingleItem();
        var li = MailTo(Li.Email).ShouldHaveSingleItem();
        MailTo(Zhao.Email).ShouldBeEmpty(); // another tenant's manager: not this tenant's job

        // Chen reads Chinese: the East report with both East dealers, the figures worked out above, comments masked
        chen.Subject.ShouldBe("极光汽车 Aurora Motors 区域报告 华东区 2026-11");
        var (zh, zhBytes) = Attachment(chen);
        zh.All.ShouldContain("上海浦东店");
        zh.All.ShouldContain("Shanghai Pudong");
        zh.All.ShouldContain("杭州西湖店");
        zh.All.ShouldContain("Hangzhou West Lake");
        zh.All.ShouldNotContain("成都高新店"); // West is not Chen's region
        zh.All.ShouldNotContain("北京朝阳店");
        var e1Page = zh.Pages.Single(p => p.Contains("E1 · 华东区 · 2026-11"));
        e1Page.ShouldContain("17");   // NPS 16.7 printed without decimals
        e1Page.ShouldContain("Rude staff");
        e1Page.ShouldContain("138****5678");
        e1Page.ShouldContain("w***@example.com");
        zh.All.ShouldNotContain(Pii);
        zh.All.ShouldNotContain(PiiMail);
        zh.Pages[0].ShouldContain("18"); // the region's NPS
        chen.HtmlBody!.ShouldContain("体验指数");
        chen.HtmlBody!.ShouldContain("上海浦东店 Shanghai Pudong (E1)");
        chen.HtmlBody!.ShouldContain("https://survey.example.cn/#/reports/regions/EAST?period=2026-11");
        chen.TextBody!.ShouldContain("NPS: 18");

        // Anna reads English: the same region, English labels, names English first
        var (en, _) = Attachment(anna);
        en.All.ShouldContain("Shanghai Pudong");
        en.All.ShouldContain("上海浦东店");
        en.All.ShouldContain("Region report");
        anna.HtmlBody!.ShouldContain("Experience index");
        anna.TextBody!.ShouldContain("Shanghai Pudong 上海浦东店 (E1)");

        var (west, _) = Attachment(li);
        west.All.ShouldContain("成都高新店");
        west.All.ShouldContain("Chengdu Hi-Tech");
        west.All.ShouldNotContain("上海浦东店");
        west.Pages[0].ShouldContain("100");

        // each send recorded with the file's hash and the message id; nothing of the address
        var sends = await (await api.CreateClient().GetAsync($"/api/reports/deliveries?period={November}")).Read<List<ReportSend>>();
        sends.Count.ShouldBe(3);
        var chenSend = sends.Single(s => s.Last.MessageId == chen.MessageId);
        chenSend.Last.FileSha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(zhBytes)));
        chenSend.Last.Outcome.ShouldBe(SendOutcomes.Sent);
        chenSend.RegionCode.ShouldBe("EAST");
        (await TestPostgres.ScalarAsync(api.ConnectionString, "select count(*) from survey.mt_doc_reportsend where data::text like '%@example%'")).ShouldBe(0);

        // the same period again sends nothing
        var again = await RunAs("default", November, force: false);
        again.Recipients.Select(r => r.Outcome).ShouldAllBe(o => o == "already-sent");
        MailTo(Chen.Email).Count.ShouldBe(1);
        MailTo(Anna.Email).Count.ShouldBe(1);

        // an administrator's forced resend goes out again, as a new attempt with its own Message-ID
        var forced = await (await api.CreateClient().Send(HttpMethod.Post, "/api/reports/deliveries", new DeliveryRequest(November, Force: true))).Read<DeliveryRun>();
        forced.Recipients.Count.ShouldBe(3);
        forced.Recipients.ShouldAllBe(r => r.Outcome == SendOutcomes.Sent);
        var twice = MailTo(Chen.Email);
        twice.Count.ShouldBe(2);
        twice.Select(m => m.MessageId).Distinct().Count().ShouldBe(2);
        Attachment(twice.Single(m => m.MessageId != chen.MessageId)).Bytes.ShouldBe(zhBytes); // same data, same file

        // the other tenant's job sends its own report to its own manager only
        using (var scope = api.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ReportDeliveryJob>().RunScheduled(Other, CancellationToken.None);
        var zhao = MailTo(Zhao.Email).ShouldHaveSingleItem();
        var (north, _) = Attachment(zhao);
        north.All.ShouldContain("Beijing Chaoyang");
        north.All.ShouldContain("北京朝阳店");
        foreach (var foreign in new[] { "上海浦东店", "Shanghai Pudong", "杭州西湖店", "成都高新店", "Rude staff" }) north.All.ShouldNotContain(foreign);
        MailTo(Chen.Email).Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_attempt_found_without_outcome_is_not_sent_again_unless_forced()
    {
        await Seed();
        var period = "2026-10";
        var first = await RunAs("default", period, force: false);
        var west = first.Recipients.Single(r => r.Region == "WEST");
        west.Outcome.ShouldBe(SendOutcomes.Sent);
        var key = ReportSend.KeyOf(period, "WEST", west.Recipient);
        // as if the process had died during the SMTP conversation: the attempt is recorded, its outcome is not
        await using (var session = api.Services.GetRequiredService<IDocumentStore>().LightweightSession("default"))
        {
            var send = (await session.LoadAsync<ReportSend>(key))!;
            session.Store(send with { Attempts = [send.Last with { Outcome = null, SentAt = null }] });
            await session.SaveChangesAsync();
        }
        var before = MailTo(Li.Email, period).Count;
        var rerun = await RunAs("default", period, force: false);
        rerun.Recipients.Single(r => r.Region == "WEST").Outcome.ShouldBe(SendOutcomes.Uncertain);
        MailTo(Li.Email, period).Count.ShouldBe(before);
        var forced = await RunAs("default", period, force: true);
        forced.Recipients.Single(r => r.Region == "WEST").Outcome.ShouldBe(SendOutcomes.Sent);
        MailTo(Li.Email, period).Count.ShouldBe(before + 1);
    }

    [Theory]
    [InlineData("/api/reports/dealers/E1/scorecard.pdf?period=2026-11", "dealer:E1", HttpStatusCode.OK)]
    [InlineData("/api/reports/dealers/E2/scorecard.pdf?period=2026-11", "dealer:E1", HttpStatusCode.NotFound)]
    [InlineData("/api/reports/regions/EAST/report.pdf?period=2026-11", "dealer:E1", HttpStatusCode.NotFound)]
    [InlineData("/api/reports/regions/EAST/report.pdf?period=2026-11&lang=zh-CN", "regions:EAST", HttpStatusCode.OK)]
    [InlineData("/api/reports/regions/WEST/report.pdf?period=2026-11", "regions:EAST", HttpStatusCode.NotFound)]
    [InlineData("/api/reports/dealers/W1/scorecard.pdf?period=2026-11", "regions:EAST", HttpStatusCode.NotFound)]
    [InlineData("/api/reports/dealers/E1/scorecard.pdf?period=2026-11", "tenant:" + Other, HttpStatusCode.NotFound)]
    [InlineData("/api/reports/regions/NOPE/report.pdf?period=2026-11", "admin", HttpStatusCode.NotFound)]
    [InlineData("/api/reports/dealers/E1/scorecard.pdf?period=2026-13", "admin", HttpStatusCode.BadRequest)]
    [InlineData("/api/reports/dealers/E1/scorecard.pdf?period=November", "admin", HttpStatusCode.BadRequest)]
    [InlineData("/api/reports/regions/EAST/report.pdf?period=2026-11&lang=fr", "admin", HttpStatusCode.BadRequest)]
    public async Task Downloads_are_scoped_to_the_caller(string url, string who, HttpStatusCode expected)
    {
        await Seed();
        var client = who.Split(':') switch
        {
            ["dealer", var d] => api.ClientFor(Roles.DealerManager, dealer: d),
            ["regions", var r] => api.ClientFor(Roles.RegionalManager, regions: r.Split(',')),
            ["tenant", var t] => api.ClientFor(Roles.Administrator, t),
            _ => api.CreateClient(),
        };
        var response = await client.GetAsync(url);
        if (expected != HttpStatusCode.OK)
        {
            await response.Problem(expected);
            return;
        }
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var pdf = new PdfText(await response.Content.ReadAsByteArrayAsync());
        pdf.All.ShouldContain("上海浦东店");
        pdf.All.ShouldNotContain("成都高新店");
        pdf.All.ShouldNotContain(Pii);
    }

    [Fact]
    public async Task Analysts_get_reports_without_comments_and_a_region_report_from_real_data_renders()
    {
        await Seed();
        TestFonts.Save("api-region-report-zh-CN.pdf", await api.ClientFor(Roles.RegionalManager, regions: ["EAST"]).GetByteArrayAsync("/api/reports/regions/EAST/report.pdf?period=2026-11&lang=zh-CN"));
        var response = await api.ClientFor(Roles.Analyst).GetAsync("/api/reports/regions/EAST/report.pdf?period=2026-11&lang=en");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        TestFonts.Save("api-region-report-en-analyst.pdf", bytes);
        var pdf = new PdfText(bytes);
        pdf.All.ShouldContain("Shanghai Pudong");
        pdf.All.ShouldContain("上海浦东店");
        pdf.All.ShouldNotContain("Rude staff");
        pdf.All.ShouldNotContain("138****5678");
        pdf.All.ShouldContain("No comments in this period.");

        var manager = await api.ClientFor(Roles.RegionalManager, regions: ["EAST"]).GetByteArrayAsync("/api/reports/regions/EAST/report.pdf?period=2026-11&lang=zh-CN");
        new PdfText(manager).All.ShouldContain("Rude staff");
    }

    [Fact]
    public async Task Settings_are_for_administrators_and_bad_settings_change_nothing()
    {
        await Seed();
        (await api.ClientFor(Roles.RegionalManager, regions: ["EAST"]).Send(HttpMethod.Put, "/api/reports/settings", Monthly())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var before = await (await api.CreateClient().GetAsync("/api/reports/settings")).Read<ReportSettings>();
        var problem = await (await api.CreateClient().Send(HttpMethod.Put, "/api/reports/settings",
            Monthly() with { Cron = "every monday", TimeZone = "Mars/Olympus", Language = "fr" })).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldBe(["cron", "language", "timeZone"], ignoreOrder: true);
        (await (await api.CreateClient().GetAsync("/api/reports/settings")).Read<ReportSettings>()).ShouldBe(before);
        (await (await api.CreateClient().Send(HttpMethod.Post, "/api/reports/deliveries", new DeliveryRequest("2026-W3"))).Problem(HttpStatusCode.BadRequest))
            .ErrorPaths().ShouldBe(["period"]);

        // turned off: the recurring job is removed, and a run that was already queued sends nothing
        (await api.CreateClient().Send(HttpMethod.Put, "/api/reports/settings", Monthly() with { Enabled = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var connection = api.Services.GetRequiredService<JobStorage>().GetConnection())
            connection.GetRecurringJobs().ShouldNotContain(j => j.Id == ReportDeliveryJob.JobId("default"));
        var mails = api.Smtp.Delivered().Count;
        using (var scope = api.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ReportDeliveryJob>().RunScheduled("default", CancellationToken.None);
        api.Smtp.Delivered().Count.ShouldBe(mails);
    }
}
