using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using Survey.Domain.Triggers.Scheduling;

namespace Survey.Tests.Domain.Triggers;

/// <summary>Small, realistic trigger parts: an after-service trigger, a Shanghai dealer in the East region, a customer with consents.</summary>
public static class TriggerSamples
{
    public static readonly Guid TriggerId = Guid.Parse("0195f000-0000-7000-8000-0000000000a1");
    public static readonly Guid QuestionnaireId = Guid.Parse("0195f000-0000-7000-8000-0000000000b1");
    /// <summary>Monday 2 November 2026, 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);
    public static readonly SendWindow Daytime = new(new TimeOnly(9, 0), new TimeOnly(20, 0));

    public static TriggerDefinition Definition(params FilterCondition[] filter) => new(
        Name: "After service",
        EventType: "service.completed",
        Filter: filter,
        QuestionnaireId: QuestionnaireId,
        Delay: TimeSpan.FromHours(24),
        SendWindow: Daytime,
        Channels: [Channel.MiniProgram, Channel.Sms, Channel.Email],
        SamplingRate: 100,
        InvitationExpiry: TimeSpan.FromDays(7));

    public static TriggerCreated Created(TriggerDefinition? definition = null) => new(TriggerId, definition ?? Definition(), Now.AddDays(-30));

    public static TriggerPublished Published(TriggerDefinition? definition = null, int version = 1) => new(TriggerId, version, definition ?? Definition(), Now.AddDays(-30));

    /// <summary>The state after the given events (created and published version 1 when none are given).</summary>
    public static Trigger Live(TriggerDefinition? definition = null, params object[] more)
    {
        object[] events = [Created(definition), Published(definition), .. more];
        return events.Aggregate((Trigger?)null, TriggerDecider.Evolve)!;
    }

    public static readonly Dealer ShanghaiDealer = new("SH001", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST", "Asia/Shanghai", "Shanghai", []);
    public static readonly Dealer ChengduDealer = new("CD001", new LocalizedName("成都店", "Chengdu"), "WEST", "Asia/Shanghai", "Chengdu", []);

    /// <summary>A service visit at the Shanghai dealer, now; change the rest with <c>with</c>.</summary>
    public static OperationalEvent ServiceCompleted(params (string Key, string Value)[] attributes) =>
        new("RO-1001", "service.completed", Now, "C-1", "SH001", attributes.ToDictionary(a => a.Key, a => a.Value));

    public static Consent Given(Channel channel, int daysAgo = 100) => new(channel, true, Now.AddDays(-daysAgo), "web");
    public static Consent Withdrawn(Channel channel, int daysAgo = 10) => new(channel, false, Now.AddDays(-daysAgo), "web");

    /// <summary>A customer with every contact point; consents as given (none: consent for every channel).</summary>
    public static Customer Customer(params Consent[] consents) => new(
        "C-1", "Li Wei", "li.wei@example.com", "+8613812345678", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M",
        consents.Length > 0 ? consents : [Given(Channel.MiniProgram), Given(Channel.Sms), Given(Channel.Email)],
        "zh-CN", null);

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
