using Marten;
using Survey.Domain.Analytics.Periods;

namespace Survey.Api.Reports;

/// <summary>
/// A tenant's report settings (one document, <see cref="DocumentId"/>): the brand printed on reports, the default language (a
/// manager's own preference wins), the console link in the e-mails, and scheduled delivery: on or off, a cron expression read in
/// <see cref="TimeZone"/> (IANA), and the kind of period reported (the one that just ended when the job fires).
/// </summary>
public sealed record ReportSettings(
    string Id, bool Enabled, string Cron, string TimeZone, PeriodKind PeriodKind, string Language, string? Brand, string? ConsoleUrl)
{
    public const string DocumentId = "reports";

    /// <summary>Monthly, on the 1st at 08:00 in the tenant's zone; off until an administrator turns it on.</summary>
    public static ReportSettings Default(string timeZone) => new(DocumentId, false, "0 8 1 * *", timeZone, PeriodKind.Month, "zh-CN", null, null);

    public static async Task<ReportSettings> Load(IQuerySession session, CancellationToken ct, string? defaultZone = null) =>
        await session.LoadAsync<ReportSettings>(DocumentId, ct) ?? Default(defaultZone ?? "Asia/Shanghai");
}
