using Hangfire;
using Marten;
using Survey.Api.Respondents.Answering;
using Survey.Api.Respondents.Distribution;
using Survey.Api.Respondents.HostedPage;
using Survey.Api.Respondents.Responses;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents;

public static class RespondentSetup
{
    public static IHostApplicationBuilder AddRespondents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RespondentOptions>().BindConfiguration("Respondents");
        builder.Services.AddSingleton<InvitationTokens>();
        builder.Services.AddSingleton<PublicSources>();
        builder.Services.AddSingleton<SaveWriter>();
        builder.Services.AddSingleton<RegisteredOrigins>();
        builder.Services.AddPublicLimits();
        return builder;
    }

    public static void ConfigureStore(StoreOptions marten)
    {
        DistributionStore.Configure(marten);
        ResponseStore.Configure(marten);
    }

    public static WebApplication MapRespondents(this WebApplication app)
    {
        app.MapAnsweringApi();
        app.MapDistributionApi();
        app.MapResponsesApi();
        app.MapHostedPages();
        Members.MemberEndpoints.MapMemberApi(app);
        if (app.Services.GetService<IRecurringJobManager>() is { } jobs)
            jobs.AddOrUpdate<AbandonResponsesJob>(AbandonResponsesJob.Id, job => job.Run(CancellationToken.None), "*/15 * * * *");
        return app;
    }
}
