using Hangfire;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Triggers;

namespace Survey.Api.Invitations;

public static class InvitationsSetup
{
    public static IHostApplicationBuilder AddInvitations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TriggerOptions>().BindConfiguration("Triggers");
        builder.Services.AddSingleton<DueInvitations>();
        builder.Services.AddSingleton<InvitationStreams>();
        builder.Services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section)
            .Validate(o => o.Channels.Values.All(c => c.MaxParallel >= 1 && c.PerSecond >= 0),
                "Invitations:Dispatch:Channels:{channel}:MaxParallel must be at least 1 and PerSecond 0 or more.")
            .Validate(o => o.PollInterval >= TimeSpan.Zero, "Invitations:Dispatch:PollInterval must be zero or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ChannelThrottle>();
        builder.Services.AddSingleton<InvitationMessages>();
        builder.Services.AddTransient<InvitationDispatcher>();
        builder.Services.AddSingleton(sp => new Firing(sp.GetRequiredService<IOptions<TriggerOptions>>().Value.Rules, sp.GetRequiredService<DueInvitations>()));
        builder.Services.AddHostedService<DueTableSetup>();
        builder.Services.AddChannels(builder.Configuration);
        builder.Services.AddSingleton<IDeliveryStatusSink, InvitationDeliverySink>(); // replaces the channels' logging sink
        return builder;
    }

    public static WebApplication MapInvitations(this WebApplication app)
    {
        app.MapTriggersApi();
        app.MapEmailTemplatesApi();
        app.MapChannelCallbacks();
        app.MapUnsubscribe();
        app.MapShortLinks();
        // Administrators of the operating tenant only (bearer token); see Security/JobDashboardAuthorization.
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new Security.JobDashboardAuthorization()],
            DashboardTitle = "Survey engine jobs",
            IsReadOnlyFunc = _ => false,
        });
        if (app.Services.GetService<IRecurringJobManager>() is { } jobs)
            jobs.AddOrUpdate<InvitationDispatcher>(InvitationDispatcher.JobId, d => d.Poll(CancellationToken.None), Cron.Minutely());
        return app;
    }

    /// <summary>Creates the due table at start-up (idempotent), after Marten has made its schema.</summary>
    private sealed class DueTableSetup(DueInvitations due) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => due.EnsureTable(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
