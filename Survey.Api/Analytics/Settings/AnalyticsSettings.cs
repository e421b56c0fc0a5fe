using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Survey.Api.Http;
using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Index;
using Survey.Domain.Analytics.Periods;
using Survey.Domain.Common;

namespace Survey.Api.Analytics.Settings;

/// <summary>
/// A tenant's analytics settings: its calendar (time zone, first day of the week) and every version of its experience index recipe
/// (the newest is current; old versions stay so that a figure can say which recipe made it). One document per tenant.
/// </summary>
public sealed record AnalyticsSettings(string Id, string TimeZone, DayOfWeek WeekStart, IReadOnlyList<ExperienceIndexDefinition> IndexVersions)
{
    public const string DocumentId = "analytics";

    /// <summary>Until a tenant configures one: NPS alone, minimum sample 30.</summary>
    public static readonly ExperienceIndexDefinition DefaultIndex = new(1, [IndexComponent.Nps(1)]);

    public ExperienceIndexDefinition CurrentIndex => IndexVersions.Count == 0 ? DefaultIndex : IndexVersions[^1];
    public PeriodCalendar Calendar => PeriodCalendar.For(TimeZone, WeekStart);

    public static async Task<AnalyticsSettings> Load(IQuerySession session, string defaultZone, CancellationToken ct) =>
        await session.LoadAsync<AnalyticsSettings>(DocumentId, ct) ?? new AnalyticsSettings(DocumentId, defaultZone, DayOfWeek.Monday, []);
}

public sealed record CalendarRequest(string TimeZone, DayOfWeek WeekStart);
public sealed record IndexRequest(IReadOnlyList<IndexComponent> Components, int MinimumSample = SampleRules.DefaultMinimumSample);
public sealed record SettingsView(string TimeZone, DayOfWeek WeekStart, ExperienceIndexDefinition CurrentIndex, IReadOnlyList<ExperienceIndexDefinition> IndexVersions);

public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapAnalyticsSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/settings", Get).WithName("GetAnalyticsSettings").WithSummary("The tenant's calendar and experience index versions");
        group.MapPut("/settings/calendar", PutCalendar).WithName("PutAnalyticsCalendar")
            .WithSummary("Set the time zone (IANA) and first day of the week periods are cut in")
            .WithRequestExample("""{ "timeZone": "Asia/Shanghai", "weekStart": "monday" }""");
        group.MapPost("/settings/index", PostIndex).WithName("PublishExperienceIndex")
            .WithSummary("Publish the next version of the experience index recipe (components rescaled to 0-100, weights, minimum sample)")
            .WithRequestExample("""{ "components": [ { "kind": "nps", "weight": 2 }, { "kind": "csat", "weight": 1 }, { "kind": "attribute", "key": "lounge", "weight": 1 } ], "minimumSample": 30 }""");
        return group;
    }

    private static SettingsView View(AnalyticsSettings s) => new(s.TimeZone, s.WeekStart, s.CurrentIndex, s.IndexVersions);

    private static async Task<Ok<SettingsView>> Get(IQuerySession session, IOptions<Triggers.TriggerOptions> triggers, CancellationToken ct) =>
        TypedResults.Ok(View(await AnalyticsSettings.Load(session, triggers.Value.TenantTimeZone, ct)));

    private static async Task<Ok<SettingsView>> PutCalendar(CalendarRequest request, IDocumentSession session, IOptions<Triggers.TriggerOptions> triggers, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone ?? "", out _)) problems.Add(new("timeZone", "unknown-time-zone", "timeZone is an IANA zone such as Asia/Shanghai."));
        if (!Enum.IsDefined(request.WeekStart)) problems.Add(new("weekStart", "unknown-day", "weekStart is a day of the week."));
        InvalidInputException.ThrowIfAny(problems);
        var settings = await AnalyticsSettings.Load(session, triggers.Value.TenantTimeZone, ct) with { TimeZone = request.TimeZone!, WeekStart = request.WeekStart };
        session.Store(settings);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(View(settings));
    }

    private static async Task<Created<ExperienceIndexDefinition>> PostIndex(IndexRequest request, IDocumentSession session, IOptions<Triggers.TriggerOptions> triggers, CancellationToken ct)
    {
        var settings = await AnalyticsSettings.Load(session, triggers.Value.TenantTimeZone, ct);
        var next = new ExperienceIndexDefinition(settings.IndexVersions.Count == 0 ? 1 : settings.IndexVersions[^1].Version + 1, request.Components ?? [], request.MinimumSample);
        InvalidInputException.ThrowIfAny(next.Validate());
        session.Store(settings with { IndexVersions = [.. settings.IndexVersions, next] });
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/analytics/settings", next);
    }
}
