using System.Collections.Concurrent;

namespace Survey.Api.Respondents;

/// <summary>
/// At most <c>limit</c> requests per key (a client IP, a survey address) in a fixed window that starts with the key's first
/// request after its previous window ended. Thread-safe, without a timer: one small entry per key, and the entries whose
/// window has ended are dropped by a sweep that some request runs at most once per window (or once a second while the table
/// is full). The table holds at most <c>capacity</c> keys; when every one of them is inside its window a new key is refused,
/// so a flood of new addresses cannot grow it.
/// </summary>
public sealed class FixedWindows<TKey> where TKey : notnull
{
    private sealed class Window(long start)
    {
        public long Start = start;
        public int Count;
        public bool Dropped;
    }

    private readonly ConcurrentDictionary<TKey, Window> _windows = new();
    private readonly int _limit;
    private readonly int _capacity;
    private readonly long _length;
    private readonly TimeProvider _time;
    private int _tracked; // entries in _windows (ConcurrentDictionary.Count takes every lock)
    private long _lastSweep;
    private int _sweeping;

    public FixedWindows(int limit, TimeSpan window, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _capacity = capacity;
        _time = time;
        _length = Math.Max(1, (long)(window.TotalSeconds * time.TimestampFrequency));
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>Keys held now (live windows and ended ones not yet swept).</summary>
    public int Tracked => Volatile.Read(ref _tracked);

    /// <summary>Counts a request for the key; false (with the time until its window ends) when the key is over its limit.</summary>
    public bool TryAcquire(TKey key, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        if (now - Volatile.Read(ref _lastSweep) >= _length) Sweep(now, _length);
        while (true)
        {
            if (!_windows.TryGetValue(key, out var window))
            {
                if (Tracked >= _capacity)
                {
                    Sweep(now, _time.TimestampFrequency);
                    if (Tracked >= _capacity)
                    {
                        retryAfter = ToTimeSpan(_length);
                        return false;
                    }
                }
                var fresh = new Window(now);
                window = _windows.GetOrAdd(key, fresh);
                if (ReferenceEquals(window, fresh)) Interlocked.Increment(ref _tracked);
            }
            lock (window)
            {
                if (window.Dropped) continue; // swept between the look-up and the lock: look again
                // another request may have started the window a tick after this one read the clock: never negative
                var elapsed = Math.Max(0, now - window.Start);
                if (elapsed >= _length)
                {
                    window.Start = now;
                    window.Count = 0;
                    elapsed = 0;
                }
                if (window.Count < _limit)
                {
                    window.Count++;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
                retryAfter = ToTimeSpan(_length - elapsed);
                return false;
            }
        }
    }

    /// <summary>Drops the windows that have ended; one sweep at a time, at most one per <paramref name="every"/> ticks.</summary>
    private void Sweep(long now, long every)
    {
        if (now - Volatile.Read(ref _lastSweep) < every || Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0) return;
        try
        {
            Volatile.Write(ref _lastSweep, now);
            foreach (var (key, window) in _windows)
            {
                lock (window)
                {
                    if (now - window.Start < _length) continue;
                    window.Dropped = true;
                    if (_windows.TryRemove(KeyValuePair.Create(key, window))) Interlocked.Decrement(ref _tracked);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
}
