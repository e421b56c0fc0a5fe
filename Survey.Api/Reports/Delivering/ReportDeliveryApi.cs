using Hangfire;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Survey.Api.Http;
using Survey.Api.Reports.Data;
using Survey.Api.Security;
using Survey.Domain.Analytics.Periods;
using Survey.Domain.Common;

namespace Survey.Api.Reports.Delivering;

public sealed record ReportSettingsRequest(bool Enabled, string? Cron, string? TimeZone, PeriodKind? PeriodKind, string? Language, string? Brand, string? ConsoleUrl);
public sealed record DeliveryRequest(string? Period, bool Force = false);

/// <summary>Administrators: the tenant's report settings and schedule, the record of sends, and running a period now.</summary>
public static class ReportDeliveryApi
{
    public static RouteGroupBuilder MapReportDelivery(this RouteGroupBuilder group)
    {
        group.MapGet("/settings", GetSettings).WithName("GetReportSettings").WithSummary("Brand, default language, console link and the delivery schedule");
        group.MapPut("/settings", PutSettings).WithName("PutReportSettings")
            .WithSummary("Set the report settings; enabled registers the tenant's recurring delivery job with its cron and time zone, disabled removes it")
            .WithRequestExample("""{ "enabled": true, "cron": "0 8 1 * *", "timeZone": "Asia/Shanghai", "periodKind": "month", "language": "zh-CN", "brand": "极光汽车 Aurora Motors" }""");
        group.MapGet("/deliveries", Deliveries).WithName("ListReportDeliveries").WithSummary("The sends of a period (period=2026-10): region, recipient (hashed), attempts with file SHA-256, message id, outcome");
        group.MapPost("/deliveries", Deliver).WithName("DeliverReports")
            .WithSummary("Deliver a period now; recipients who have it already are skipped unless force is true")
            .WithRequestExample("""{ "period": "2026-10", "force": true }""");
        return group;
    }

    private static async Task<Ok<ReportSettings>> GetSettings(IQuerySession session, IOptions<Triggers.TriggerOptions> triggers, ReportDataSource data, CancellationToken ct) =>
        TypedResults.Ok(await Load(session, triggers, data, ct));

    private static async Task<ReportSettings> Load(IQuerySession session, IOptions<Triggers.TriggerOptions> triggers, ReportDataSource data, CancellationToken ct) =>
        await session.LoadAsync<ReportSettings>(ReportSettings.DocumentId, ct) ?? ReportSettings.Default((await data.Calendar(session.TenantId, ct)).Zone.Id);

    private static async Task<Ok<ReportSettings>> PutSettings(ReportSettingsRequest request, IDocumentSession session, OrgScopes scopes,
        IServiceProvider services, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        var cron = request.Cron?.Trim() ?? "";
        if (!CronLooksValid(cron)) problems.Add(new("cron", "invalid-cron", "cron is a cron expression of 5 fields, e.g. \"0 8 1 * *\" (08:00 on the 1st)."));
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone ?? "", out var zone)) problems.Add(new("timeZone", "unknown-time-zone", "timeZone is an IANA zone such as Asia/Shanghai."));
        if (request.PeriodKind is not { } kind || !Enum.IsDefined(kind) || kind == PeriodKind.Week) problems.Add(new("periodKind", "unknown-period", "periodKind is month, quarter or year."));
        if (request.Language is not ("en" or "zh-CN")) problems.Add(new("language", "unknown-language", "language is en or zh-CN."));
        if (request.Brand is { Length: > 80 }) problems.Add(new("brand", "too-long", "brand is at most 80 characters."));
        if (request.ConsoleUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            problems.Add(new("consoleUrl", "invalid-url", "consoleUrl is an http(s) address."));
        InvalidInputException.ThrowIfAny(problems);

        var tenant = scopes.Current.Tenant;
        var settings = new ReportSettings(ReportSettings.DocumentId, request.Enabled, cron, zone!.Id, request.PeriodKind!.Value, request.Language!,
            string.IsNullOrWhiteSpace(request.Brand) ? null : request.Brand.Trim(), string.IsNullOrWhiteSpace(request.ConsoleUrl) ? null : request.ConsoleUrl);
        if (services.GetService<IRecurringJobManager>() is { } jobs)
        {
            if (settings.Enabled)
            {
                try
                {
                    jobs.AddOrUpdate<ReportDeliveryJob>(ReportDeliveryJob.JobId(tenant), job => job.RunScheduled(tenant, CancellationToken.None), cron,
                        new RecurringJobOptions { TimeZone = zone });
                }
                catch (ArgumentException)
                {
                    throw new InvalidInputException([new("cron", "invalid-cron", "The job scheduler does not accept this cron expression.")]);
                }
            }
            else jobs.RemoveIfExists(ReportDeliveryJob.JobId(tenant));
        }
        session.Store(settings);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(settings);
    }

    /// <summary>Five or six fields of cron characters; the scheduler itself checks the rest when the job is registered.</summary>
    private static bool CronLooksValid(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length is 5 or 6 && cron.Length <= 100 && fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '/' or ',' or '-' or '?' or '#'));
    }

    private static async Task<Ok<List<ReportSend>>> Deliveries(string? period, IQuerySession session, CancellationToken ct)
    {
        var label = ReportPeriods.Parse(period).Label;
        var sends = await session.Query<ReportSend>().Where(s => s.Period == label).ToListAsync(ct);
        return TypedResults.Ok(sends.OrderBy(s => s.Id, StringComparer.Ordinal).ToList());
    }

    private static async Task<Ok<DeliveryRun>> Deliver(DeliveryRequest request, OrgScopes scopes, ReportDeliveryJob job, CancellationToken ct)
    {
        var period = ReportPeriods.Parse(request?.Period);
        return TypedResults.Ok(await job.Deliver(scopes.Current.Tenant, period, request!.Force, ct));
    }
}
