using System.Collections.Concurrent;
using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>
/// The Hangfire job that sends due invitations (recurring every minute, stable id; several nodes may run it at once). It claims
/// batches from <see cref="DueInvitations"/>: the invitations of a batch are read in one round trip and what their messages need in
/// two; every attempt of the batch is recorded in one transaction before any provider hears of it; the messages go out through
/// each channel's lane (its own parallelism and pace, over reused connections) while the next batch is claimed and its attempts
/// recorded; the outcomes are recorded in one transaction per lane with the stream versions already known, together with the
/// due-table changes. A crash between the two transactions leaves attempts without outcome (of at most two batches), which the
/// next run records as uncertain instead of sending again. A run goes on claiming while invitations are due, for up to
/// <see cref="Budget"/>, so a backlog does not wait for the next minute.
/// </summary>
public sealed class InvitationDispatcher(IDocumentStore store, DueInvitations due, InvitationStreams streams, IEnumerable<IChannelSender> senders,
    InvitationMessages messages, ChannelThrottle throttle, IOptions<DispatchOptions> options, TimeProvider time, ILogger<InvitationDispatcher> logger)
{
    public const string JobId = "invitations:dispatch";
    public const int BatchSize = 500;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>How long one run keeps claiming batches; the next minutely run carries on.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(4);

    /// <summary>How long the minutely job keeps looking for due invitations: past the next minute's start, so there is no gap between runs.</summary>
    public static readonly TimeSpan PollWindow = TimeSpan.FromSeconds(75);

    /// <summary>
    /// The recurring job (minutely): <see cref="Run"/>, again every <see cref="DispatchOptions.PollInterval"/> for
    /// <see cref="PollWindow"/>, so an invitation goes out about a second after it falls due instead of at the next minute (at
    /// rest, one indexed claim query per interval; while two runs overlap, two). A zero interval runs once.
    /// </summary>
    public async Task<int> Poll(CancellationToken ct)
    {
        var interval = options.Value.PollInterval;
        var clock = Stopwatch.StartNew();
        var handled = await Run(ct);
        while (interval > TimeSpan.Zero && clock.Elapsed < PollWindow && !ct.IsCancellationRequested)
        {
            try { await Task.Delay(interval, ct); }
            catch (OperationCanceledException) { break; }
            handled += await Run(ct);
        }
        return handled;
    }

    public async Task<int> Run(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var handled = 0;
        // a batch is sent while the next one is claimed and its attempts recorded, so that the providers are not left idle
        // meanwhile: at most two batches have their sends ahead, and each channel's parallelism is the node's (ChannelThrottle)
        var sends = new List<Task>(); // of batches whose attempts are on record, oldest first
        try
        {
            while (!ct.IsCancellationRequested && clock.Elapsed < Budget)
            {
                var claimed = await due.Claim(BatchSize, time.GetUtcNow(), Lease, ct);
                if (claimed.Count == 0)
                {
                    if (sends.Count == 0) break;
                    // the batch in flight may make some of its invitations due again (a fall-back channel): claim once more after it
                    await Task.WhenAll(sends);
                    sends.Clear();
                    continue;
                }
                var earlier = sends.Count;
                var dispatches = claimed.GroupBy(c => c.TenantId).Select(tenant => Dispatch(tenant.Key, tenant.ToList(), ct)).ToList();
                await ((Task)Task.WhenAll(dispatches)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                sends.AddRange(dispatches.Where(d => d.IsCompletedSuccessfully).Select(d => d.Result));
                foreach (var failed in dispatches.Where(d => !d.IsCompletedSuccessfully)) await failed;
                await Task.WhenAll(sends.Take(earlier));
                sends.RemoveRange(0, earlier);
                handled += claimed.Count;
            }
            await Task.WhenAll(sends);
        }
        catch (Exception) when (sends.Count > 0)
        {
            // what is already sending records its outcomes before the run gives up
            await Task.WhenAll(sends).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var failed in sends.Where(s => s.IsFaulted)) logger.LogError(failed.Exception, "Sending a batch of invitations failed");
            throw;
        }
        return handled;
    }

    /// <summary>
    /// One invitation on its way, with its state and stream version: before its attempt is recorded while it waits in a later
    /// chunk, after it once recorded (<see cref="Recorded"/>). A reminder has no attempt and records no outcome.
    /// </summary>
    private sealed record Send(DueInvitation Item, string Channel, Invitation State, long Version, InvitationSendAttempted? Attempt,
        OutgoingMessage? Message, string? Problem)
    {
        public bool Reminder => Attempt is null;
    }

    /// <summary>
    /// Records the attempts of one tenant's share of a batch and starts its sends: completes once the attempts are on record, with
    /// the task of the sends and their outcomes. A batch that changed under the dispatcher is decided again (nothing was sent yet).
    /// </summary>
    private async Task<Task> Dispatch(string tenant, List<DueInvitation> items, CancellationToken ct, int round = 1)
    {
        try
        {
            var lanes = await Begin(tenant, items, ct);
            return SendLanes(tenant, items, lanes, ct, round);
        }
        catch (Exception e) when (IsConflict(e) && round < 3)
        {
            // someone wrote to one of these invitations between our read and our attempts (a response, an open): nothing was
            // sent yet, so decide again from what is there now
            logger.LogDebug("Batch of {Count} invitations changed under the dispatcher; deciding again", items.Count);
            return await Dispatch(tenant, items, ct, round + 1);
        }
        catch (Exception e) when (IsConflict(e))
        {
            await Release(tenant, items, ct);
            return Task.CompletedTask;
        }
    }

    /// <summary>The lanes of a prepared batch, each channel with its own parallelism and pace.</summary>
    private async Task SendLanes(string tenant, List<DueInvitation> items, Dictionary<string, List<List<Send>>> lanes, CancellationToken ct, int round)
    {
        try
        {
            await Task.WhenAll(lanes.Select(lane => RunLane(tenant, lane.Key, lane.Value, ct)));
        }
        catch (Exception e) when (IsConflict(e) && round < 3)
        {
            // an invitation changed while its outcome was recorded one by one: decide again from what is there now (an attempt
            // found without outcome becomes uncertain, never a second send)
            logger.LogDebug("Batch of {Count} invitations changed under the dispatcher; deciding again", items.Count);
            await await Dispatch(tenant, items, ct, round + 1);
        }
        catch (Exception e) when (IsConflict(e))
        {
            await Release(tenant, items, ct);
        }
    }

    private async Task Release(string tenant, List<DueInvitation> items, CancellationToken ct)
    {
        logger.LogWarning("Batch of {Count} invitations kept changing under the dispatcher; left for the next run", items.Count);
        await using var session = store.LightweightSession(tenant);
        var release = new DueChanges();
        foreach (var item in items) release.Reschedule(item.InvitationId, time.GetUtcNow());
        release.Queue(session, due);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Reads the batch's invitations, decides each, builds the messages and records, in one transaction: the attempts (of each
    /// lane's first chunk), reminders, what needs no send (expired, already answered, an attempt found without outcome), the short
    /// links of SMS and the due-table rows that are finished or come back later. Returns the lanes with their chunks to send.
    /// </summary>
    private async Task<Dictionary<string, List<List<Send>>>> Begin(string tenant, List<DueInvitation> items, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var read = await streams.Load(tenant, items.Select(i => i.InvitationId).ToList(), ct);
        await using var session = store.LightweightSession(tenant);
        var changes = new DueChanges();
        var appends = new List<InvitationStreams.Append>();
        var planned = new List<(DueInvitation Item, Invitation State, long Version, string Channel, InvitationSendAttempted? Attempt)>();
        foreach (var item in items)
        {
            if (read.GetValueOrDefault(item.InvitationId) is not ({ } invitation, var version)) { changes.Done(item.InvitationId); continue; }
            if (InvitationSending.ReminderDue(invitation, now))
            {
                // at most one reminder, even if the send dies
                var reminded = new InvitationReminded(invitation.Id, invitation.SentChannel!, now);
                appends.Add(new(item.InvitationId, version, [reminded], InvitationDecider.Evolve(invitation, reminded)));
                changes.Done(item.InvitationId);
                planned.Add((item, invitation, version, invitation.SentChannel!, null));
                continue;
            }
            switch (InvitationSending.Next(invitation, now))
            {
                case SendDecision.Nothing nothing:
                    var after = nothing.Events.Aggregate(invitation, InvitationDecider.Evolve);
                    if (nothing.Events.Length > 0) appends.Add(new(item.InvitationId, version, nothing.Events, after));
                    // a give-up on one channel may leave another to try
                    if (InvitationSending.Next(after, now) is SendDecision.Attempt) changes.Reschedule(item.InvitationId, now);
                    else changes.Done(item.InvitationId);
                    break;
                case SendDecision.Attempt attempt:
                    planned.Add((item, invitation, version, attempt.Channel, attempt.Event));
                    break;
            }
        }

        // a channel's share of the batch is what its rate sends well inside the claim; the rest waits for a later batch
        var lanes = new Dictionary<string, List<List<Send>>>(StringComparer.OrdinalIgnoreCase);
        var sources = await messages.Load(session, tenant, planned.Select(p => p.State).ToList(), ct);
        var shortLinks = new List<ShortLink>();
        foreach (var channel in planned.GroupBy(p => p.Channel, StringComparer.OrdinalIgnoreCase))
        {
            var share = throttle.BatchShare(channel.Key, Lease / 2);
            var sends = new List<Send>();
            var attempts = 0;
            foreach (var (item, invitation, version, name, attempt) in channel)
            {
                if (attempt is not null && ++attempts > share) { changes.Reschedule(item.InvitationId, item.DueAt); continue; }
                var (message, problem) = await messages.Build(sources, tenant, invitation, name, shortLinks, ct);
                sends.Add(new Send(item, name, invitation, version, attempt, message, problem));
            }
            var chunks = sends.Chunk(throttle.ChunkOf(channel.Key)).Select(c => c.ToList()).ToList();
            // the first chunk's attempts go into this transaction; a rate-limited lane records each later chunk when its turn comes
            foreach (var send in chunks.FirstOrDefault() ?? [])
                if (send.Attempt is not null) appends.Add(new(send.Item.InvitationId, send.Version, [send.Attempt], InvitationDecider.Evolve(send.State, send.Attempt)));
            lanes[channel.Key] = chunks;
        }
        streams.QueueShortLinks(session, shortLinks);
        streams.Queue(session, tenant, appends);
        changes.Queue(session, due);
        await session.SaveChangesAsync(ct); // the attempts are on record before any provider hears of them
        return lanes.ToDictionary(l => l.Key, l => l.Value.Select((chunk, index) => index == 0 ? chunk.Select(s => Recorded(s, s.Attempt)).ToList() : chunk).ToList());
    }

    /// <summary>The send once this attempt is on record: its state and stream version after it.</summary>
    private static Send Recorded(Send send, InvitationSendAttempted? attempt) =>
        attempt is null ? send : send with { Attempt = attempt, State = InvitationDecider.Evolve(send.State, attempt), Version = send.Version + 1 };

    private async Task RunLane(string tenant, string channel, List<List<Send>> chunks, CancellationToken ct)
    {
        var limit = throttle.LimitOf(channel);
        for (var index = 0; index < chunks.Count; index++)
        {
            var chunk = index == 0 ? chunks[0] : await RecordAttempts(tenant, chunks[index], ct);
            var results = new ConcurrentQueue<(Send Send, SendResult Result)>();
            await Parallel.ForEachAsync(chunk, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, limit.MaxParallel), CancellationToken = ct }, async (send, token) =>
            {
                if (send.Message is null) { results.Enqueue((send, SendResult.Permanent(send.Problem ?? "nothing to send"))); return; }
                using var slot = await throttle.Slot(channel, token);
                await throttle.Pace(channel, token);
                var sender = senders.LastOrDefault(s => s.Channel == send.Message.Channel); // the last registration wins, as elsewhere in DI
                SendResult result;
                try { result = sender is null ? SendResult.Permanent($"no sender for {channel}") : await sender.Send(send.Message, token); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // the provider may have the message: recorded as uncertain, never resent blindly
                    result = SendResult.Uncertain($"the {channel} sender failed ({e.GetType().Name})");
                }
                results.Enqueue((send, result));
            });
            foreach (var (send, result) in results.Where(r => r.Send.Reminder))
                logger.LogDebug("Reminder for {InvitationId} on {Channel}: {Outcome} {Error}", send.Item.InvitationId, channel, result.Outcome, result.Error);
            await RecordOutcomes(tenant, results.Where(r => !r.Send.Reminder).ToList(), ct);
        }
    }

    /// <summary>The attempts of a later chunk of a rate-limited lane, in one transaction; a chunk that changed meanwhile goes back to the due table.</summary>
    private async Task<List<Send>> RecordAttempts(string tenant, List<Send> chunk, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var recorded = chunk.Select(s => Recorded(s, s.Attempt is { } attempt ? attempt with { AttemptedAt = now } : null)).ToList();
        await using var session = store.LightweightSession(tenant);
        streams.Queue(session, tenant, recorded.Where(s => !s.Reminder).Select(s => new InvitationStreams.Append(s.Item.InvitationId, s.Version - 1, [s.Attempt!], s.State)).ToList());
        try { await session.SaveChangesAsync(ct); return recorded; }
        catch (Exception e) when (IsConflict(e))
        {
            await using var release = store.LightweightSession(tenant);
            var changes = new DueChanges();
            foreach (var send in chunk.Where(s => !s.Reminder)) changes.Reschedule(send.Item.InvitationId, now);
            changes.Queue(release, due);
            await release.SaveChangesAsync(ct);
            return chunk.Where(s => s.Reminder).ToList();
        }
    }

    /// <summary>
    /// The outcomes of a chunk in one transaction, appended at the versions known since the attempts, with the due-table changes
    /// they lead to. When an invitation changed meanwhile (a status callback, a respondent quick off the mark), one by one.
    /// </summary>
    private async Task RecordOutcomes(string tenant, IReadOnlyList<(Send Send, SendResult Result)> results, CancellationToken ct)
    {
        if (results.Count == 0) return;
        var now = time.GetUtcNow();
        await using (var session = store.LightweightSession(tenant))
        {
            var changes = new DueChanges();
            var appends = new List<InvitationStreams.Append>(results.Count);
            foreach (var (send, result) in results)
            {
                var outcome = InvitationSending.Outcome(send.State, send.Channel, Map(result.Outcome), result.ProviderMessageId, result.Error, now);
                var after = InvitationDecider.Evolve(send.State, outcome);
                appends.Add(new(send.Item.InvitationId, send.Version, [outcome], after));
                After(after, send, changes, now);
            }
            streams.Queue(session, tenant, appends);
            changes.Queue(session, due);
            try
            {
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (Exception e) when (IsConflict(e)) { }
        }
        foreach (var (send, result) in results)
        {
            await using var session = store.LightweightSession(tenant);
            var stream = await session.Events.FetchForWriting<Invitation>(send.Item.InvitationId, ct);
            if (stream.Aggregate?.PendingAttempt?.Channel != send.Channel) continue; // resolved elsewhere
            var outcome = InvitationSending.Outcome(stream.Aggregate, send.Channel, Map(result.Outcome), result.ProviderMessageId, result.Error, now);
            stream.AppendOne(outcome);
            var changes = new DueChanges();
            After(InvitationDecider.Evolve(stream.Aggregate, outcome), send, changes, now);
            changes.Queue(session, due);
            await session.SaveChangesAsync(ct);
        }
    }

    /// <summary>What the due table does after an outcome: back off on the same channel, fall back at once, wait for the reminder, or finish.</summary>
    private static void After(Invitation after, Send send, DueChanges changes, DateTimeOffset now)
    {
        switch (InvitationSending.Next(after, now))
        {
            case SendDecision.Attempt next when next.Channel == send.Channel:
                var attempts = after.Timeline.Count(t => t.What == "attempted" && t.Channel == send.Channel);
                changes.Reschedule(send.Item.InvitationId, now + Backoff(attempts));
                break;
            case SendDecision.Attempt:
                changes.Reschedule(send.Item.InvitationId, now);
                break;
            default:
                // after a send, the row waits for the reminder (if any); otherwise this invitation is done
                if (after.ReminderAt is { } reminder && after.Status == InvitationStatus.Sent) changes.Reschedule(send.Item.InvitationId, reminder);
                else changes.Done(send.Item.InvitationId);
                break;
        }
    }

    private static bool IsConflict(Exception e) => InvitationStreams.IsConflict(e);

    private static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(4, attempts - 1)));

    private static SendOutcomeKind Map(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Accepted => SendOutcomeKind.Accepted,
        SendOutcome.TransientFailure => SendOutcomeKind.TransientFailure,
        SendOutcome.PermanentFailure => SendOutcomeKind.PermanentFailure,
        _ => SendOutcomeKind.Uncertain,
    };
}
