using Survey.Api.Security;
using JasperFx.Events.Projections;
using Marten;
using Survey.Api.Analytics.Attribution;
using Survey.Api.Analytics.Endpoints;
using Survey.Api.Analytics.Querying;
using Survey.Api.Analytics.Scorecards;
using Survey.Api.Analytics.Scoping;
using Survey.Api.Analytics.Settings;

namespace Survey.Api.Analytics;

/// <summary>Experience analytics: responses joined to operational data (an async projection), metrics, indices, scorecards, drivers.</summary>
public static class AnalyticsSetup
{
    public const string Tag = "Analytics";

    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IAnalyticsScopeResolver, OrgAnalyticsScopeResolver>();
        builder.Services.AddScoped<IScorecardCaseSource, CaseKpiSource>();
        builder.Services.AddSingleton<AnalyticsSql>();
        builder.Services.AddScoped<AnalyticsContext>();
        builder.Services.AddScoped<ScorecardBuilder>();
        return builder;
    }

    public static void ConfigureStore(StoreOptions marten)
    {
        marten.Projections.Add<ResponseFactProjection>(ProjectionLifecycle.Async);
        // columns for the aggregate queries; indexed only where a query narrows by them (periods, one dealer): every index is one
        // more write per fact in the daemon, and the others filter rows that a period already selected
        // The period scans (a month's scorecards and league, six trend months) read only narrow columns: the completion-time index
        // carries them (INCLUDE), so PostgreSQL answers from the index (an index-only scan) instead of visiting each ~1.5 KB JSON row.
        // Rows changed since the last vacuum are still read from the table, so the figures never depend on it.
        marten.Schema.For<ResponseFact>().Duplicate(f => f.DealerCode).Duplicate(f => f.StartedAt, configure: i => i.IncludeColumns = ["tenant_id", "dealer_code", "status"])
            .Duplicate(f => f.CompletedAt, configure: i => i.IncludeColumns = ["tenant_id", "status", "dealer_code", "nps", "csat", "ces", "has_verbatim", "score_points", "id"]);
        marten.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(ResponseFact)) return;
            foreach (var member in new[] { nameof(ResponseFact.Status), nameof(ResponseFact.Touchpoint), nameof(ResponseFact.TriggerId), nameof(ResponseFact.Channel),
                         nameof(ResponseFact.QuestionnaireId), nameof(ResponseFact.Nps), nameof(ResponseFact.Csat), nameof(ResponseFact.Ces), nameof(ResponseFact.HasVerbatim) })
                mapping.DuplicateField(member, null!, false);
            mapping.DuplicateField(nameof(ResponseFact.ScorePoints), "text[]", false);
        });
        marten.Schema.For<AnalyticsSettings>();
        // response rates select the invitations due in a period: an index on the due time instead of reading every invitation's JSON.
        // An index on Marten's immutable cast of the JSON, not a duplicated column: due times keep the send window's offset (+08:00),
        // and Npgsql writes only UTC offsets to timestamptz columns. AnalyticsSql filters with the same expression.
        marten.Schema.For<Domain.Invitations.Invitation>().Index(i => i.DueAt!);
    }

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        // reading: every console role, narrowed to its org scope; settings (calendar, index recipe): designers
        var group = app.MapGroup("/api/analytics").WithTags(Tag).RequireReadWrite(Security.Policies.Console, Security.Policies.Design);
        group.MapAnalyticsSettings();
        group.MapMetrics();
        group.MapScorecards();
        group.MapDrivers();
        return app;
    }
}
