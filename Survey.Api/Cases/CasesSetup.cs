using Survey.Api.Security;
using Hangfire;
using Survey.Api.Cases.Actions;
using Survey.Api.Cases.Escalating;
using Survey.Api.Cases.Inbox;
using Survey.Api.Cases.Rules;
using Survey.Api.Cases.Settings;

namespace Survey.Api.Cases;

/// <summary>The closed loop: case rules, the case inbox and actions, SLA escalation.</summary>
public static class CasesSetup
{
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddSingleton<ICaseScopeResolver, OrgCaseScopeResolver>();
        services.AddTransient<CaseEscalationJob>();
        return services;
    }

    public static WebApplication MapCases(this WebApplication app)
    {
        app.MapCaseRulesApi();
        app.MapGroup("/api/cases").WithTags("Cases").RequireReadWrite(Security.Policies.Console, Security.Policies.CaseWork).MapCaseSettings().MapCaseInbox().MapCaseActions();
        if (app.Services.GetService<IRecurringJobManager>() is { } jobs)
            jobs.AddOrUpdate<CaseEscalationJob>(CaseEscalationJob.JobId, j => j.Run(CancellationToken.None), Cron.Minutely());
        return app;
    }
}
