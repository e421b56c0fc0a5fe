using System.Collections.Concurrent;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Channels;
using Survey.Api.Invitations;
using Survey.Api.Operations;
using Survey.Api.Storage;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Triggers;

/// <summary>A provider stand-in that takes a while per message and records when each arrived and how many were in flight.</summary>
public sealed class TimedSender(ChannelKind channel, TimeSpan takes) : IChannelSender
{
    private int _inFlight;
    public ChannelKind Channel => channel;
    public ConcurrentQueue<(Guid Invitation, DateTime At)> Sent { get; } = new();
    public int MostInFlight;

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = MostInFlight) < now && Interlocked.CompareExchange(ref MostInFlight, now, seen) != seen) { }
        Sent.Enqueue((message.InvitationId, DateTime.UtcNow));
        await Task.Delay(takes, ct);
        Interlocked.Decrement(ref _inFlight);
        return SendResult.Accepted($"M-{message.InvitationId:N}");
    }
}

public sealed class ThrottledHost(string connectionString, TimedSender sms, TimedSender email) : ApiFixture(connectionString)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Invitations:Dispatch:Channels:sms:MaxParallel"] = "2",
        ["Invitations:Dispatch:Channels:sms:PerSecond"] = "5",
        ["Invitations:Dispatch:Channels:email:MaxParallel"] = "3",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IChannelSender>(sms);
            services.AddSingleton<IChannelSender>(email);
        });
    }
}

public class ChannelThrottleTests
{
    /// <summary><paramref name="count"/> invitations due now on one channel, each for its own consenting customer.</summary>
    public static async Task<List<Guid>> ScheduleDue(ApiFixture host, Guid questionnaireId, string channel, int count)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var due = host.Services.GetRequiredService<DueInvitations>();
        var now = host.Time.GetUtcNow();
        var ids = new List<Guid>();
        await using var session = store.LightweightSession(Tenancy.DefaultTenant);
        for (var i = 0; i < count; i++)
        {
            var customer = channel == "sms"
                ? new Customer($"S-{i}", "客户", null, $"+86138{i:00000000}", null, [new Consent(Channel.Sms, true, now, "test")], "zh-CN", null)
                : new Customer($"E-{i}", "Customer", $"c{i}@example.com", null, null, [new Consent(Channel.Email, true, now, "test")], "en", null);
            session.Store(new CustomerRecord(customer.ExternalId, customer, now));
            var id = Guid.NewGuid();
            session.Events.StartStream<Invitation>(id, new InvitationScheduled(id, Guid.NewGuid(), 1, $"RO-{channel}-{i}", customer.ExternalId, null, questionnaireId, 1, [channel], now, now.AddDays(7), null, now));
            session.QueueSqlCommand(due.UpsertSql, id, Tenancy.DefaultTenant, now.ToUniversalTime());
            ids.Add(id);
        }
        await session.SaveChangesAsync();
        return ids;
    }

    [Fact]
    public async Task Each_channel_keeps_its_parallelism_and_pace_and_a_rate_limited_channel_does_not_hold_up_another()
    {
        var sms = new TimedSender(ChannelKind.Sms, TimeSpan.FromMilliseconds(50));
        var email = new TimedSender(ChannelKind.Email, TimeSpan.FromMilliseconds(50));
        using var host = new ThrottledHost(TestPostgres.CreateDatabase(), sms, email);
        var questionnaireId = await new Respondent(host.CreateClient()).PublishedSurvey();
        var smsIds = await ScheduleDue(host, questionnaireId, "sms", 15);
        var emailIds = await ScheduleDue(host, questionnaireId, "email", 12);

        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services).Run(CancellationToken.None);

        // every invitation sent once, on its channel
        sms.Sent.Select(s => s.Invitation).Order().ShouldBe(smsIds.Order());
        email.Sent.Select(s => s.Invitation).Order().ShouldBe(emailIds.Order());
        // bounded parallelism per channel
        sms.MostInFlight.ShouldBeLessThanOrEqualTo(2);
        email.MostInFlight.ShouldBeLessThanOrEqualTo(3);
        email.MostInFlight.ShouldBeGreaterThan(1, "the e-mail lane sends in parallel");
        // 5 SMS per second: refilled one at a time every 200 ms, so no second holds more than 6
        var smsTimes = sms.Sent.Select(s => s.At).Order().ToList();
        for (var i = 0; i < smsTimes.Count; i++)
            smsTimes.Count(t => t >= smsTimes[i] && t < smsTimes[i].AddSeconds(1)).ShouldBeLessThanOrEqualTo(6);
        // the e-mails did not wait for the SMS lane (which needs about 3 s for its 15 messages)
        email.Sent.Max(e => e.At).ShouldBeLessThan(smsTimes[^1]);

        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        (await session.LoadManyAsync<Invitation>(smsIds.Concat(emailIds))).ShouldAllBe(i => i.Status == InvitationStatus.Sent);
        (await host.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task A_rate_limited_channel_takes_from_a_batch_only_what_its_rate_sends_in_the_time_given()
    {
        var throttle = new ChannelThrottle(Microsoft.Extensions.Options.Options.Create(new DispatchOptions
        {
            Channels = new(StringComparer.OrdinalIgnoreCase) { ["sms"] = new() { MaxParallel = 1, PerSecond = 0.5 } },
        }));
        throttle.BatchShare("sms", TimeSpan.FromMinutes(2.5)).ShouldBe(75);
        throttle.BatchShare("email", TimeSpan.FromMinutes(2.5)).ShouldBe(int.MaxValue);
        throttle.LimitOf("email").MaxParallel.ShouldBe(8);
    }
}
