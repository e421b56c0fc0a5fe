using Hangfire;
using Marten;
using Survey.Api.Operations;
using Survey.Api.Privacy.Erasing;
using Survey.Api.Privacy.Exporting;
using Survey.Api.Privacy.Retention;

namespace Survey.Api.Privacy;

public static class PrivacySetup
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration("Privacy");
        var options = builder.Configuration.GetSection("Privacy").Get<PrivacyOptions>() ?? new PrivacyOptions();
        builder.Services.AddSingleton(MasterKey.Load(options));
        builder.Services.AddHostedService<MasterKeyCheck>();
        builder.Services.AddSingleton<DataKeys>();
        builder.Services.AddSingleton<PersonalDataVault>();
        builder.Services.AddSingleton<CustomerErasure>();
        builder.Services.AddTransient<RetentionJob>();
        builder.Services.ConfigureMarten(marten =>
        {
            marten.Schema.For<DataKey>().Index(k => k.Subject).Index(k => k.ItemAt!);
            marten.Schema.For<Erasure>();
            marten.Schema.For<RetentionPolicy>();
        });
        return builder;
    }

    public static WebApplication MapPrivacy(this WebApplication app)
    {
        app.MapPrivacyApi();
        app.MapResponsesCsv();
        if (app.Services.GetService<IRecurringJobManager>() is { } jobs)
            jobs.AddOrUpdate<RetentionJob>(RetentionJob.Id, job => job.Run(CancellationToken.None), Cron.Daily(3));
        return app;
    }
}
