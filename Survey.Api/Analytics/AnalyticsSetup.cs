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
        marten.Schema.For<ResponseFact>()
            .Duplicate(f => f.Status).Duplicate(f => f.DealerCode).Duplicate(f => f.Touchpoint).Duplicate(f => f.TriggerId)
            .Duplicate(f => f.Channel).Duplicate(f => f.QuestionnaireId).Duplicate(f => f.StartedAt).Duplicate(f => f.CompletedAt)
            .Duplicate(f => f.Nps).Duplicate(f => f.Csat).Duplicate(f => f.Ces);
        marten.Schema.For<AnalyticsSettings>();
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
