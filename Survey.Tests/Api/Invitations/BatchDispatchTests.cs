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

namespace Survey.Tests.Api.Invitations;

/// <summary>
/// A provider stand-in that answers each invitation as told: accepted by default, refused for good, or the sender throws; and
/// optionally "dies" (the process stops) once it has taken a number of messages.
/// </summary>
public sealed class ScriptedSender(ChannelKind channel) : IChannelSender
{
    public ChannelKind Channel => channel;
    public ConcurrentDictionary<Guid, int> Received { get; } = new();
    public HashSet<Guid> Refuse { get; } = [];
    public HashSet<Guid> Throw { get; } = [];
    public int? DieAfter { get; set; }
    /// <summary>Runs while the provider has the message, before the dispatcher hears back (e.g. a respondent quick off the mark).</summary>
    public Func<OutgoingMessage, Task>? WhileSending { get; set; }

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        Received.AddOrUpdate(message.InvitationId, 1, (_, n) => n + 1);
        if (WhileSending is { } meanwhile) await meanwhile(message);
        if (DieAfter is { } limit && Received.Values.Sum() >= limit)
            throw new OperationCanceledException("the worker died after the provider took the message");
        if (Throw.Contains(message.InvitationId)) throw new InvalidOperationException("the provider's client broke");
        return Refuse.Contains(message.InvitationId)
            ? SendResult.Permanent("21211: the 'To' number is not a valid phone number")
            : SendResult.Accepted($"M-{message.InvitationId:N}");
    }
}

public sealed class ScriptedHost(ScriptedSender sms, ScriptedSender email) : ApiFixture(TestPostgres.CreateDatabase())
{
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

/// <summary>The dispatcher records a batch's attempts together and its outcomes together: what that means when a part of a batch goes wrong.</summary>
public class BatchDispatchTests
{
    private readonly ScriptedSender _sms = new(ChannelKind.Sms), _email = new(ChannelKind.Email);

    /// <summary><paramref name="count"/> invitations due now, SMS first then e-mail, each customer with both contact points and consents.</summary>
    private static async Task<List<Guid>> ScheduleDue(ApiFixture host, int count, string[]? channels = null)
    {
        var questionnaireId = await new Respondent(host.CreateClient()).PublishedSurvey();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var due = host.Services.GetRequiredService<DueInvitations>();
        var now = host.Time.GetUtcNow();
        var ids = new List<Guid>();
        await using var session = store.LightweightSession(Tenancy.DefaultTenant);
        for (var i = 0; i < count; i++)
        {
            var customer = new Customer($"B-{i}", "客户", $"b{i}@example.com", $"+86139{i:00000000}", null,
                [new Consent(Channel.Sms, true, now, "test"), new Consent(Channel.Email, true, now, "test")], "zh-CN", null);
            session.Store(new CustomerRecord(customer.ExternalId, customer, now));
            var id = Guid.NewGuid();
            session.Events.StartStream<Invitation>(id, new InvitationScheduled(id, Guid.NewGuid(), 1, $"RO-B-{i}", customer.ExternalId, null, questionnaireId, 1,
                channels ?? ["sms", "email"], now, now.AddDays(7), null, now));
            session.QueueSqlCommand(due.UpsertSql, id, Tenancy.DefaultTenant, now.ToUniversalTime());
            ids.Add(id);
        }
        await session.SaveChangesAsync();
        return ids;
    }

    private static async Task<IReadOnlyList<Invitation>> Load(ApiFixture host, IEnumerable<Guid> ids)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        return await session.LoadManyAsync<Invitation>(ids);
    }

    [Fact]
    public async Task An_invitation_refused_for_good_or_whose_sender_breaks_does_not_hold_back_the_rest_of_its_batch()
    {
        using var host = new ScriptedHost(_sms, _email);
        var ids = await ScheduleDue(host, 40);
        var (refused, broken) = (ids[7], ids[23]);
        _sms.Refuse.Add(refused);
        _sms.Throw.Add(broken);

        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services).Run(CancellationToken.None);

        var invitations = (await Load(host, ids)).ToDictionary(i => i.Id);
        // the refused one fell back to e-mail in the same run; the broken one may have reached the provider: uncertain, not resent
        invitations[refused].Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "failed", "attempted", "sent"]);
        invitations[refused].SentChannel.ShouldBe("email");
        _email.Received.Keys.ShouldBe([refused]);
        invitations[broken].Status.ShouldBe(InvitationStatus.Uncertain);
        invitations[broken].Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "uncertain"]);
        foreach (var id in ids.Except([refused, broken]))
        {
            invitations[id].Status.ShouldBe(InvitationStatus.Sent);
            invitations[id].SentChannel.ShouldBe("sms");
        }
        _sms.Received.Count.ShouldBe(40);
        _sms.Received.Values.ShouldAllBe(n => n == 1);
        (await host.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task A_crash_between_recording_a_batchs_attempts_and_their_outcomes_leaves_them_uncertain_and_nothing_is_sent_again()
    {
        using var host = new ScriptedHost(_sms, _email);
        var ids = await ScheduleDue(host, 12);
        _sms.DieAfter = 3;
        var dispatcher = ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services);
        await Should.ThrowAsync<OperationCanceledException>(() => dispatcher.Run(CancellationToken.None));
        var reached = _sms.Received.Keys.ToList();
        reached.Count.ShouldBeGreaterThanOrEqualTo(3);

        // the claim lapses; later runs find every attempt of the batch without an outcome
        _sms.DieAfter = null;
        host.Time.Advance(TimeSpan.FromMinutes(6));
        await dispatcher.Run(CancellationToken.None);
        await dispatcher.Run(CancellationToken.None);

        // the documented rule: an attempt without outcome is uncertain, whether or not the provider got it; never sent again,
        // on this channel or another
        _sms.Received.Keys.Order().ShouldBe(reached.Order());
        _sms.Received.Values.ShouldAllBe(n => n == 1);
        _email.Received.ShouldBeEmpty();
        (await Load(host, ids)).ShouldAllBe(i => i.Status == InvitationStatus.Uncertain
            && i.Timeline.Select(t => t.What).SequenceEqual(new[] { "scheduled", "attempted", "uncertain" }));
        (await host.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task An_invitation_written_to_while_its_batch_is_sending_gets_its_outcome_after_that_write_and_the_batch_is_not_resent()
    {
        using var host = new ScriptedHost(_sms, _email);
        var ids = await ScheduleDue(host, 30);
        var opened = ids[11];
        var store = host.Services.GetRequiredService<IDocumentStore>();
        // the respondent opens the link before the dispatcher records the outcome: the batch's outcome write (at the versions read
        // before sending) meets that event, and the outcomes are recorded one by one instead
        _sms.WhileSending = async message =>
        {
            if (message.InvitationId != opened) return;
            await using var session = store.LightweightSession(Tenancy.DefaultTenant);
            var stream = await session.Events.FetchForWriting<Invitation>(opened);
            stream.AppendOne(new InvitationOpened(opened, host.Time.GetUtcNow()));
            await session.SaveChangesAsync();
        };

        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services).Run(CancellationToken.None);

        var invitations = (await Load(host, ids)).ToDictionary(i => i.Id);
        invitations[opened].Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "opened", "sent"]);
        invitations.Values.ShouldAllBe(i => i.Status == InvitationStatus.Sent && i.SentChannel == "sms");
        _sms.Received.Count.ShouldBe(30);
        _sms.Received.Values.ShouldAllBe(n => n == 1);
        // the streams hold what the read models say, as Marten reads them back (event types, versions)
        await using var query = store.QuerySession(Tenancy.DefaultTenant);
        (await query.Events.FetchStreamAsync(opened)).Select(e => (e.Data.GetType(), e.Version))
            .ShouldBe([(typeof(InvitationScheduled), 1L), (typeof(InvitationSendAttempted), 2L), (typeof(InvitationOpened), 3L), (typeof(InvitationSent), 4L)]);
        (await query.Events.FetchStreamStateAsync(ids[0]))!.Version.ShouldBe(3);
        var json = store.Options.Serializer();
        json.ToJson((await query.Events.AggregateStreamAsync<Invitation>(ids[0]))!).ShouldBe(json.ToJson(invitations[ids[0]]));
        (await host.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Batches_overlap_but_at_most_two_batches_of_attempts_are_ever_on_record_without_their_outcomes()
    {
        using var host = new ScriptedHost(_sms, _email);
        var count = InvitationDispatcher.BatchSize * 4;
        var ids = await ScheduleDue(host, count, ["email"]);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        // what a crash would leave uncertain at any moment: invitations whose attempt is on record and whose outcome is not
        var sending = new ConcurrentBag<int>();
        var received = 0;
        _email.WhileSending = async message =>
        {
            if (Interlocked.Increment(ref received) % 50 != 0) return;
            await using var query = store.QuerySession(Tenancy.DefaultTenant);
            sending.Add(await query.Query<Invitation>().CountAsync(i => i.Status == InvitationStatus.Sending));
        };

        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services).Run(CancellationToken.None);

        sending.ShouldNotBeEmpty();
        sending.Max().ShouldBeLessThanOrEqualTo(2 * InvitationDispatcher.BatchSize);
        (await Load(host, ids)).ShouldAllBe(i => i.Status == InvitationStatus.Sent);
        _email.Received.Count.ShouldBe(count);
        _email.Received.Values.ShouldAllBe(n => n == 1);
        (await host.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task A_batch_of_invitations_costs_a_handful_of_database_round_trips_not_a_few_per_invitation()
    {
        using var host = new ScriptedHost(_sms, _email);
        // e-mail has no rate by default, so the whole batch is one chunk (a rate-limited lane records about 2 s of sends at a time)
        var ids = await ScheduleDue(host, 120, ["email"]);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var counter = new RoundTrips();
        ((StoreOptions)store.Options).Logger(counter);

        counter.Counting.Value = true;
        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(host.Services).Run(CancellationToken.None);
        counter.Counting.Value = false;

        (await Load(host, ids)).ShouldAllBe(i => i.Status == InvitationStatus.Sent);
        // read the invitations, read what their messages need (three), record the attempts, record the outcomes: about ten in all
        // (the due table's claims go through their own connection and are not counted here)
        counter.Count.ShouldBeLessThanOrEqualTo(12, string.Join("\n", counter.Statements));
    }

    /// <summary>Counts the commands and batches Marten sends while <see cref="Counting"/> is set in the caller's flow.</summary>
    private sealed class RoundTrips : IMartenLogger, IMartenSessionLogger
    {
        public readonly AsyncLocal<bool> Counting = new();
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public ConcurrentQueue<string> Statements { get; } = new();

        public IMartenSessionLogger StartSession(IQuerySession session) => this;
        public void SchemaChange(string sql) { }
        public void LogSuccess(Npgsql.NpgsqlCommand command) => Record(command.CommandText);
        public void LogSuccess(Npgsql.NpgsqlBatch batch) => Record(string.Join("; ", batch.BatchCommands.Cast<Npgsql.NpgsqlBatchCommand>().Select(c => c.CommandText)));
        public void LogFailure(Npgsql.NpgsqlCommand command, Exception ex) => Record(command.CommandText);
        public void LogFailure(Npgsql.NpgsqlBatch batch, Exception ex) => Record("batch");
        public void LogFailure(Exception ex, string message) { }
        public void RecordSavedChanges(IDocumentSession session, Marten.Services.IChangeSet commit) { }
        public void OnBeforeExecute(Npgsql.NpgsqlCommand command) { }
        public void OnBeforeExecute(Npgsql.NpgsqlBatch batch) { }

        private void Record(string sql)
        {
            if (!Counting.Value) return;
            Interlocked.Increment(ref _count);
            Statements.Enqueue(sql.Length > 160 ? sql[..160] : sql);
        }
    }
}
