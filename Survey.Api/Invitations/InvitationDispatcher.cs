using System.Collections.Concurrent;
using Marten;
using Survey.Api.Channels;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>
/// The Hangfire job that sends due invitations (recurring every minute, stable id; several nodes may run it at once).
/// It claims batches from <see cref="DueInvitations"/>, records each attempt in the invitation's stream before calling the
/// provider, then records the outcome. A crash between the two leaves an attempt without outcome, which the next run
/// records as uncertain instead of sending again.
/// </summary>
public sealed class InvitationDispatcher(IDocumentStore store, DueInvitations due, IEnumerable<IChannelSender> senders, InvitationMessages messages,
    ChannelThrottle throttle, TimeProvider time, ILogger<InvitationDispatcher> logger)
{
    public const string JobId = "invitations:dispatch";
    public const int BatchSize = 200;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async Task<int> Run(CancellationToken ct)
    {
        var handled = 0;
        while (!ct.IsCancellationRequested)
        {
            var claimed = await due.Claim(BatchSize, time.GetUtcNow(), Lease, ct);
            if (claimed.Count == 0) break;
            // Each channel works through its share of the batch with its own parallelism and pace, side by side, so a slow
            // or rate-limited provider never holds up the others. A channel's share is what its rate sends well inside the claim.
            var lanes = new List<Task>();
            var finished = new ConcurrentQueue<Guid>();
            foreach (var (channel, items) in await ByChannel(claimed, ct))
            {
                var share = Math.Min(items.Count, throttle.BatchShare(channel, Lease / 2));
                foreach (var later in items.Skip(share)) await due.Reschedule(later.InvitationId, later.DueAt, ct);
                var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, throttle.LimitOf(channel).MaxParallel), CancellationToken = ct };
                lanes.Add(Parallel.ForEachAsync(items.Take(share), options, async (item, token) =>
                {
                    try { await SendOne(item, channel, finished, token); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // the lease lapses and another run picks it up; its attempt record keeps that run from sending twice
                        logger.LogWarning("Invitation {InvitationId} could not be dispatched now: {Error}", item.InvitationId, e.GetType().Name);
                    }
                }));
            }
            // finished rows leave the due table together, one statement per batch; a row left behind by a crash is claimed again
            // after its lease and found to have nothing more to send
            try { await Task.WhenAll(lanes); }
            finally { await due.Done(finished, CancellationToken.None); }
            handled += claimed.Count;
        }
        return handled;
    }

    /// <summary>
    /// The claimed invitations by the channel they are about to use (from their projected documents, one query per tenant);
    /// reminders go by the channel that was sent, and anything with nothing to send by a lane of its own.
    /// </summary>
    private async Task<List<(string Channel, List<DueInvitation> Items)>> ByChannel(IReadOnlyList<DueInvitation> claimed, CancellationToken ct)
    {
        var lanes = new Dictionary<string, List<DueInvitation>>(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        foreach (var tenant in claimed.GroupBy(c => c.TenantId))
        {
            await using var session = store.QuerySession(tenant.Key);
            var invitations = (await session.LoadManyAsync<Invitation>(ct, tenant.Select(c => c.InvitationId))).ToDictionary(i => i.Id);
            foreach (var item in tenant)
            {
                var lane = !invitations.TryGetValue(item.InvitationId, out var invitation) ? ""
                    : InvitationSending.ReminderDue(invitation, now) ? invitation.SentChannel ?? ""
                    : InvitationSending.Next(invitation, now) is SendDecision.Attempt attempt ? attempt.Channel : "";
                (lanes.TryGetValue(lane, out var list) ? list : lanes[lane] = []).Add(item);
            }
        }
        return lanes.Select(l => (l.Key, l.Value)).ToList();
    }

    private async Task SendOne(DueInvitation item, string lane, ConcurrentQueue<Guid> finished, CancellationToken ct)
    {
        // the send slot is taken before the attempt is recorded, so waiting for it never leaves an attempt without outcome
        if (lane.Length > 0) await throttle.Pace(lane, ct);
        string channel;
        Invitation invitation;
        await using (var session = store.LightweightSession(item.TenantId))
        {
            var stream = await session.Events.FetchForWriting<Invitation>(item.InvitationId, ct);
            if (stream.Aggregate is null) { await due.Done(item.InvitationId, ct); return; }
            if (InvitationSending.ReminderDue(stream.Aggregate, time.GetUtcNow()))
            {
                await Remind(session, stream, item, ct);
                return;
            }
            var decision = InvitationSending.Next(stream.Aggregate, time.GetUtcNow());
            if (decision is SendDecision.Nothing nothing)
            {
                stream.AppendMany(nothing.Events);
                await session.SaveChangesAsync(ct);
                var after = nothing.Events.Aggregate(stream.Aggregate, InvitationDecider.Evolve);
                // a give-up on one channel may leave another to try
                if (InvitationSending.Next(after, time.GetUtcNow()) is SendDecision.Attempt) await due.Reschedule(item.InvitationId, time.GetUtcNow(), ct);
                else finished.Enqueue(item.InvitationId);
                return;
            }
            var attempt = (SendDecision.Attempt)decision;
            channel = attempt.Channel;
            stream.AppendOne(attempt.Event);
            await session.SaveChangesAsync(ct); // the attempt is on record before the provider hears of it
            invitation = InvitationDecider.Evolve(stream.Aggregate, attempt.Event);
        }

        SendOutcomeKind outcome;
        string? providerId = null, error = null;
        // identity-mapped, so what the message and its piping both read (customer, data key, dealer) is loaded once
        await using (var query = store.IdentitySession(item.TenantId))
        {
            var (message, problem) = await messages.Build(query, item.TenantId, invitation, channel, ct);
            if (message is null) (outcome, error) = (SendOutcomeKind.PermanentFailure, problem);
            else
            {
                var sender = senders.LastOrDefault(s => s.Channel == message.Channel); // the last registration wins, as elsewhere in DI
                var result = sender is null ? SendResult.Permanent($"no sender for {channel}") : await sender.Send(message, ct);
                (outcome, providerId, error) = (Map(result.Outcome), result.ProviderMessageId, result.Error);
            }
        }

        await using (var session = store.LightweightSession(item.TenantId))
        {
            var stream = await session.Events.FetchForWriting<Invitation>(item.InvitationId, ct);
            var recorded = InvitationSending.Outcome(stream.Aggregate!, channel, outcome, providerId, error, time.GetUtcNow());
            stream.AppendOne(recorded);
            await session.SaveChangesAsync(ct);
            var after = InvitationDecider.Evolve(stream.Aggregate, recorded);
            switch (InvitationSending.Next(after, time.GetUtcNow()))
            {
                case SendDecision.Attempt next when next.Channel == channel:
                    var attempts = after.Timeline.Count(t => t.What == "attempted" && t.Channel == channel);
                    await due.Reschedule(item.InvitationId, time.GetUtcNow() + Backoff(attempts), ct);
                    break;
                case SendDecision.Attempt:
                    await due.Reschedule(item.InvitationId, time.GetUtcNow(), ct);
                    break;
                default:
                    // after a send, the row waits for the reminder (if any); otherwise this invitation is done
                    if (after.ReminderAt is { } reminder && after.Status == InvitationStatus.Sent) await due.Reschedule(item.InvitationId, reminder, ct);
                    else finished.Enqueue(item.InvitationId);
                    break;
            }
            logger.LogInformation("Invitation {InvitationId} on {Channel}: {Outcome}", item.InvitationId, channel, outcome);
        }
    }

    private async Task Remind(IDocumentSession session, JasperFx.Events.IEventStream<Invitation> stream, DueInvitation item, CancellationToken ct)
    {
        var invitation = stream.Aggregate!;
        var channel = invitation.SentChannel!;
        stream.AppendOne(new InvitationReminded(invitation.Id, channel, time.GetUtcNow()));
        await session.SaveChangesAsync(ct); // at most one reminder, even if the send below dies
        await due.Done(item.InvitationId, ct);
        await using var query = store.QuerySession(item.TenantId);
        var (message, problem) = await messages.Build(query, item.TenantId, invitation, channel, ct);
        if (message is null) { logger.LogInformation("Reminder for {InvitationId} not sent: {Problem}", item.InvitationId, problem); return; }
        var result = await (senders.LastOrDefault(s => s.Channel == message.Channel)?.Send(message, ct) ?? Task.FromResult(SendResult.Permanent("no sender")));
        logger.LogInformation("Reminder for {InvitationId} on {Channel}: {Outcome}", item.InvitationId, channel, result.Outcome);
    }

    private static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(4, attempts - 1)));

    private static SendOutcomeKind Map(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Accepted => SendOutcomeKind.Accepted,
        SendOutcome.TransientFailure => SendOutcomeKind.TransientFailure,
        SendOutcome.PermanentFailure => SendOutcomeKind.PermanentFailure,
        _ => SendOutcomeKind.Uncertain,
    };
}
