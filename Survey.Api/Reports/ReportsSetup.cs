using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Reports.Data;
using Survey.Api.Reports.Delivering;
using Survey.Api.Reports.Downloading;
using Survey.Api.Reports.Layout;
using Survey.Api.Security;

namespace Survey.Api.Reports;

public static class ReportsSetup
{
    public const string Tag = "Reports";

    /// <summary>
    /// The PDF report renderer and its fonts (<c>Reports:Fonts</c>), the report data source, downloads and scheduled delivery. The
    /// fonts are loaded when the host starts, so a machine without them fails at start-up with the package to install rather than
    /// printing tofu later.
    /// </summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddOptions<ReportFontOptions>().BindConfiguration("Reports:Fonts");
        services.AddSingleton(sp => FontSet.Load(sp.GetRequiredService<IOptions<ReportFontOptions>>().Value));
        services.AddSingleton<ReportRenderer>();
        services.AddHostedService<ReportFontsCheck>();
        services.AddScoped<ReportDataSource>();
        services.AddSingleton<ReportMailer>();
        services.AddScoped<ReportDeliveryJob>();
        services.ConfigureMarten(marten =>
        {
            marten.Schema.For<ReportSettings>();
            marten.Schema.For<ReportSend>().Duplicate(s => s.Period);
        });
        return services;
    }

    /// <summary>Downloads for every console role (scoped by <see cref="OrgScopes"/>); settings and deliveries for administrators.</summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reports").WithTags(Tag).RequireReadWrite(Policies.Console, Policies.Administrator).MapReportDownloads();
        app.MapGroup("/api/reports").WithTags(Tag).RequireReadWrite(Policies.Administrator, Policies.Administrator).MapReportDelivery();
        return app;
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
