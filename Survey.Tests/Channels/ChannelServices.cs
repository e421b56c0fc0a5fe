using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

/// <summary>The channel services as <c>AddChannels</c> wires them, over in-memory settings, with every log line kept.</summary>
public sealed class ChannelServices : IDisposable
{
    private readonly ServiceProvider _provider;

    public ChannelServices(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new ListLogger(Logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddChannels(configuration);
        if (time is not null) services.AddSingleton(time);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ConcurrentQueue<string> Logs { get; } = new();

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose() => _provider.Dispose();

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        public void Dispose() { }
    }
}

public static class Messages
{
    public const string SurveyUrl = "https://survey.example.com/s/Ab3dE9xZ";
    public const string UnsubscribeUrl = "https://survey.example.com/u/Ab3dE9xZ";

    public static OutgoingMessage Email(Guid invitationId, string to = "wang.fang@example.com", string locale = "zh-CN", string dealer = "上海浦东店")
    {
        var email = InvitationEmail.Render(new InvitationEmailContent(locale, SurveyUrl, "星辰汽车", UnsubscribeUrl, "王芳女士", dealer));
        return new OutgoingMessage(invitationId, "tenant-a", ChannelKind.Email, to, locale, email.Subject, email.Text, email.Html,
            SurveyUrl, UnsubscribeUrl, null, null, null);
    }

    public static OutgoingMessage Sms(Guid invitationId, string to = "+8613800138000", string? text = null) =>
        new(invitationId, "tenant-a", ChannelKind.Sms, to, "zh-CN", "",
            text ?? SmsText.Invitation(new SmsInvitationContent("zh-CN", "星辰汽车", SurveyUrl, "王女士", "上海浦东店")),
            null, SurveyUrl, null, null, null, null);

    public static OutgoingMessage WeChat(Guid invitationId, string openId = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", string locale = "zh-CN") =>
        new(invitationId, "tenant-a", ChannelKind.MiniProgram, openId, locale, "", "", null, SurveyUrl, null,
            "pages/survey/index?token=Ab3dE9xZ", "bDmywsp2oEHjwAadTGKkUHpC0RgBVPvfAqunqHDzNyQ",
            new Dictionary<string, string> { ["thing1"] = "上海浦东店保养服务", ["time2"] = "2026-11-02 09:30", ["thing3"] = "请花1分钟评价本次服务" });
}
