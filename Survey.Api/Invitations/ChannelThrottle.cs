using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Survey.Api.Invitations;

/// <summary>How hard the dispatcher may push one channel (bound from <c>Invitations:Dispatch:{channel}</c>, per node).</summary>
public sealed class ChannelLimit
{
    /// <summary>Messages handed to the channel's provider at the same time.</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>Messages per second, 0 for no limit: the provider's own rate (e.g. a Twilio sender's messages per second).</summary>
    public double PerSecond { get; set; }
}

/// <summary>The limits of each channel (<c>email</c>, <c>sms</c>, <c>miniProgram</c>, as triggers name them); a channel not listed gets the defaults.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Invitations:Dispatch";

    /// <summary>How often the dispatcher job looks for due invitations between its minutely starts; zero: once a minute.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public Dictionary<string, ChannelLimit> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = new() { MaxParallel = 8 },
        // Twilio queues what a sender cannot send at once, but long codes send about 1 message/s and short codes or
        // messaging services more; WeChat's subscribe-message API has per-minute quotas. Set these to the account's rates.
        ["sms"] = new() { MaxParallel = 4, PerSecond = 10 },
        ["miniProgram"] = new() { MaxParallel = 4, PerSecond = 20 },
    };
}

/// <summary>
/// Bounded parallelism and a token bucket per channel, so one slow or rate-limited provider neither floods its provider nor
/// holds up the other channels. Limits are per node: with several API nodes, divide the provider's rate among them.
/// </summary>
public sealed class ChannelThrottle(IOptions<DispatchOptions> options)
{
    private readonly ConcurrentDictionary<string, RateLimiter?> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.OrdinalIgnoreCase);

    public ChannelLimit LimitOf(string channel) =>
        options.Value.Channels.TryGetValue(channel, out var limit) ? limit : new ChannelLimit();

    /// <summary>How many messages of this channel one batch may hold, so that the rate lets it finish well inside its claim.</summary>
    public int BatchShare(string channel, TimeSpan within) =>
        LimitOf(channel).PerSecond is > 0 and var rate ? Math.Max(1, (int)(rate * within.TotalSeconds)) : int.MaxValue;

    /// <summary>
    /// How many attempts of this channel are recorded together before sending: all of a batch's share for a channel without a
    /// rate; about two seconds' worth for a rate-limited one, so that few recorded attempts ever wait long for their send slot.
    /// </summary>
    public int ChunkOf(string channel) =>
        LimitOf(channel) is { PerSecond: > 0 } limit ? Math.Max(limit.MaxParallel, (int)Math.Ceiling(limit.PerSecond * 2)) : int.MaxValue;

    /// <summary>One of the channel's <see cref="ChannelLimit.MaxParallel"/> places on this node, whatever the number of dispatcher runs.</summary>
    public async ValueTask<IDisposable> Slot(string channel, CancellationToken ct)
    {
        var slots = _slots.GetOrAdd(channel, name => new SemaphoreSlim(Math.Max(1, LimitOf(name).MaxParallel)));
        await slots.WaitAsync(ct);
        return new Release(slots);
    }

    private sealed class Release(SemaphoreSlim slots) : IDisposable
    {
        private int _released;
        public void Dispose() { if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release(); }
    }

    /// <summary>Waits for the channel's next send slot (returns at once for a channel without a rate).</summary>
    public async ValueTask Pace(string channel, CancellationToken ct)
    {
        var bucket = _buckets.GetOrAdd(channel, name => LimitOf(name).PerSecond is > 0 and var rate ? Bucket(rate) : null);
        if (bucket is null) return;
        using var lease = await bucket.AcquireAsync(1, ct);
        if (!lease.IsAcquired) throw new InvalidOperationException($"The {channel} send queue is full."); // queue limit is unbounded below
    }

    private static TokenBucketRateLimiter Bucket(double perSecond)
    {
        // refilled every 100 ms (or at the rate, when slower), with at most one period's worth as burst
        var period = TimeSpan.FromMilliseconds(Math.Max(100, 1000 / perSecond));
        var perPeriod = Math.Max(1, (int)Math.Round(perSecond * period.TotalSeconds));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
