using Microsoft.Extensions.Options;
using Survey.Api.Reports.Layout;

namespace Survey.Api.Reports;

public static class ReportsSetup
{
    /// <summary>
    /// The PDF report renderer and its fonts (<c>Reports:Fonts</c>). The fonts are loaded when the host starts, so a machine
    /// without them fails at start-up with the package to install rather than printing tofu later.
    /// </summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddOptions<ReportFontOptions>().BindConfiguration("Reports:Fonts");
        services.AddSingleton(sp => FontSet.Load(sp.GetRequiredService<IOptions<ReportFontOptions>>().Value));
        services.AddSingleton<ReportRenderer>();
        services.AddHostedService<ReportFontsCheck>();
        return services;
    }
}

internal sealed class ReportFontsCheck(IServiceProvider services, ILogger<ReportFontsCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var fonts = services.GetRequiredService<FontSet>();
            log.LogInformation("PDF reports set in {Latin} / {Cjk}", fonts.LatinFamily, fonts.CjkFamily);
        }
        catch (ReportFontsMissingException e)
        {
            log.LogCritical("{Message}", e.Message);
            throw;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
