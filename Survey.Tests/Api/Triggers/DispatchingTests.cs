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

/// <summary>A stand-in SMS provider that counts every message it is given, per invitation.</summary>
public sealed class CountingSms : IChannelSender
{
    public ConcurrentDictionary<Guid, int> Received { get; } = new();
    /// <summary>When set, the process "dies" right after the provider took this many messages (the outcome is never recorded).</summary>
    public int? CrashAfter { get; set; }
    public ChannelKind Channel => ChannelKind.Sms;

    public Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        var count = Received.AddOrUpdate(message.InvitationId, 1, (_, n) => n + 1);
        if (CrashAfter is { } limit && Received.Values.Sum() > limit - 1 && Received.Count <= limit)
            throw new OperationCanceledException("the worker died after the provider accepted the message");
        return Task.FromResult(SendResult.Accepted($"SM{message.InvitationId:N}-{count}"));
    }
}

public sealed class DispatchHost(string connectionString, CountingSms sms) : ApiFixture(connectionString)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IChannelSender>(sms));
    }
}

public class DispatchingTests
{
    /// <summary>A published questionnaire and <paramref name="count"/> SMS invitations due now.</summary>
    private static async Task<List<Guid>> ScheduleDue(ApiFixture host, int count) =>
        await ChannelThrottleTests.ScheduleDue(host, await new Respondent(host.CreateClient()).PublishedSurvey(), "sms", count);

    [Fact]
    public async Task Two_hosts_dispatching_the_same_database_at_once_send_every_invitation_exactly_once()
    {
        var database = TestPostgres.CreateDatabase();
        var sms = new CountingSms();
        using var first = new DispatchHost(database, sms);
        using var second = new DispatchHost(database, sms);
        var ids = await ScheduleDue(first, 300);
        _ = second.CreateClient();

        var runs = new[] { first, second, first, second }.Select(host => Task.Run(() =>
            ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services).Run(CancellationToken.None)));
        await Task.WhenAll(runs);

        sms.Received.Count.ShouldBe(300);
        sms.Received.Values.ShouldAllBe(n => n == 1);
        await using var session = first.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var invitations = await session.LoadManyAsync<Invitation>(ids);
        invitations.ShouldAllBe(i => i.Status == InvitationStatus.Sent && i.Timeline.Count(t => t.What == "attempted") == 1);
        (await first.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task A_worker_that_dies_after_the_provider_accepted_never_causes_a_second_message()
    {
        var sms = new CountingSms { CrashAfter = 1 };
        using var host = new DispatchHost(TestPostgres.CreateDatabase(), sms);
        var ids = await ScheduleDue(host, 1);
        var dispatcher = ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services);
        await Should.ThrowAsync<OperationCanceledException>(() => dispatcher.Run(CancellationToken.None));

        // the lease lapses and a later run finds the attempt without an outcome
        host.Time.Advance(TimeSpan.FromMinutes(6));
        sms.CrashAfter = null;
        await dispatcher.Run(CancellationToken.None);
        await dispatcher.Run(CancellationToken.None);

        sms.Received[ids[0]].ShouldBe(1);
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var invitation = (await session.LoadAsync<Invitation>(ids[0]))!;
        invitation.Status.ShouldBe(InvitationStatus.Uncertain);
        invitation.Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "uncertain"]);
    }
}
