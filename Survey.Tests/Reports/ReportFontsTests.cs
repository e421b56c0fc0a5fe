using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Survey.Api.Reports;
using Survey.Api.Reports.Layout;

namespace Survey.Tests.Reports;

public class ReportFontsTests
{
    [Fact]
    public async Task A_host_with_reports_does_not_start_without_its_fonts_and_says_which_package_to_install()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Reports:Fonts:CjkRegular"] = "/nonexistent/NotoSansCJK-Regular.ttc";
        builder.Services.AddReports();
        using var host = builder.Build();

        var error = await Should.ThrowAsync<ReportFontsMissingException>(() => host.StartAsync());
        error.Message.ShouldContain("/nonexistent/NotoSansCJK-Regular.ttc");
        error.Message.ShouldContain("apt-get install fonts-noto-cjk");
        error.Message.ShouldContain("Reports__Fonts__CjkRegular");
    }

    [Fact]
    public async Task A_host_with_reports_starts_with_the_machine_fonts_and_renders()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReports();
        using var host = builder.Build();
        await host.StartAsync();

        using var stream = new MemoryStream();
        var result = host.Services.GetRequiredService<ReportRenderer>().RenderDealerScorecard(DealerScorecardTests.Known(), ReportLanguage.ZhCn, stream);
        result.PageCount.ShouldBeGreaterThan(0);
        new PdfText(stream.ToArray()).All.ShouldContain("上海浦东长安汽车4S店");
        host.Services.GetRequiredService<FontSet>().CjkFamily.ShouldBe("Noto Sans CJK SC");
        await host.StopAsync();
    }
}
