using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Survey.Api.Channels;

/// <summary>Bound from the <c>Channels</c> section.</summary>
public sealed class ChannelOptions
{
    /// <summary>
    /// Where channels without a configured provider write their messages: <c>email/</c> (.eml), <c>sms/</c> and <c>wechat/</c>
    /// (.json), one file per invitation. Relative to the working directory.
    /// </summary>
    public string OutboxDirectory { get; set; } = Path.Combine(".data", "outbox");
}

/// <summary>The sending side of invitations: email over SMTP, SMS through Twilio, WeChat subscribe messages, and their callbacks.</summary>
public static class ChannelSetup
{
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        // BindConfiguration reads the container's IConfiguration; a plain container (tests, tools) gets the one passed in
        services.TryAddSingleton(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ChannelOptions>().BindConfiguration("Channels");
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Host) || MimeKit.MailboxAddress.TryParse(o.FromAddress, out _),
                "Channels:Email:FromAddress must be an email address when Channels:Email:Host is set.")
            .ValidateOnStart();
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.AccountSid) || !string.IsNullOrWhiteSpace(o.AuthToken),
                "Channels:Sms:AuthToken is required when Channels:Sms:AccountSid is set.")
            .Validate(o => string.IsNullOrWhiteSpace(o.AccountSid) || !string.IsNullOrWhiteSpace(o.From) || !string.IsNullOrWhiteSpace(o.MessagingServiceSid),
                "Channels:Sms:From or Channels:Sms:MessagingServiceSid is required when Channels:Sms:AccountSid is set.")
            .ValidateOnStart();
        services.AddOptions<WeChatOptions>().BindConfiguration(WeChatOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.AppId) || !string.IsNullOrWhiteSpace(o.AppSecret),
                "Channels:WeChat:AppSecret is required when Channels:WeChat:AppId is set.")
            .Validate(o => o.MiniProgramState is "formal" or "trial" or "developer",
                "Channels:WeChat:MiniProgramState must be formal, trial or developer.")
            .ValidateOnStart();

        services.AddSingleton<Outbox>();
        AddProviderClient<SmsOptions>(services, TwilioSmsSender.HttpClientName, o => o.Timeout);
        AddProviderClient<WeChatOptions>(services, WeChatSubscribeSender.HttpClientName, o => o.Timeout);

        services.AddSingleton<EmailSender>();
        services.AddSingleton<TwilioSmsSender>();
        services.AddSingleton<WeChatAccessTokens>();
        services.AddSingleton<WeChatSubscribeSender>();
        services.AddSingleton<WeChatSignIn>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<EmailSender>());
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<TwilioSmsSender>());
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<WeChatSubscribeSender>());
        services.AddSingleton<ChannelSenders>();
        services.TryAddSingleton<IDeliveryStatusSink, LoggingDeliveryStatusSink>();
        return services;
    }

    public static IEndpointRouteBuilder MapChannelCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/channels/twilio/status", TwilioStatusCallback.Handle)
            .WithName("TwilioStatusCallback")
            .WithSummary("Twilio message status callback")
            .WithDescription("Called by Twilio with application/x-www-form-urlencoded MessageSid, MessageStatus and ErrorCode. " +
                "Requests whose X-Twilio-Signature does not match are refused with 403.")
            .WithTags("Channels")
            .AllowAnonymous() // verified by X-Twilio-Signature
            .DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// An HTTP client for a provider API. No retry handler on purpose: a retried POST could send a message twice, and retries are
    /// the caller's decision. No request logging either: WeChat puts its access token in the query string.
    /// </summary>
    private static void AddProviderClient<TOptions>(IServiceCollection services, string name, Func<TOptions, TimeSpan> timeout) where TOptions : class =>
        services.AddHttpClient(name)
            .ConfigureHttpClient((sp, client) => client.Timeout = timeout(sp.GetRequiredService<IOptions<TOptions>>().Value))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(10),
                // below the keep-alive timeouts of provider front ends, so a pooled connection is rarely found closed on use
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = false,
            })
            .RemoveAllLoggers();
}

/// <summary>The sender of each channel.</summary>
public sealed class ChannelSenders(IEnumerable<IChannelSender> senders)
{
    private readonly Dictionary<ChannelKind, IChannelSender> _byChannel = senders.ToDictionary(s => s.Channel);

    public IChannelSender For(ChannelKind channel) => _byChannel[channel];
}
