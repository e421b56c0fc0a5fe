using Microsoft.Extensions.Time.Testing;
using Survey.Api.Respondents;

namespace Survey.Tests.Api.Respondents;

/// <summary>The per-IP and per-address windows of the public endpoints, on their own with a fake clock (no database).</summary>
public class FixedWindowsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_key_gets_its_limit_per_window_and_is_told_how_long_the_window_still_runs()
    {
        var windows = new FixedWindows<string>(3, TimeSpan.FromMinutes(1), 100, _time);
        windows.TryAcquire("a", out _).ShouldBeTrue();
        _time.Advance(TimeSpan.FromSeconds(20));
        windows.TryAcquire("a", out _).ShouldBeTrue();
        windows.TryAcquire("a", out _).ShouldBeTrue();
        windows.TryAcquire("a", out var wait).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromSeconds(40));
        windows.TryAcquire("b", out _).ShouldBeTrue(); // another key has its own window

        _time.Advance(TimeSpan.FromSeconds(39));
        windows.TryAcquire("a", out wait).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        windows.TryAcquire("a", out _).ShouldBeTrue(); // a new window starts with this request
        windows.TryAcquire("a", out _).ShouldBeTrue();
        windows.TryAcquire("a", out _).ShouldBeTrue();
        windows.TryAcquire("a", out wait).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Requests_at_once_from_many_threads_never_get_more_than_the_limit()
    {
        var windows = new FixedWindows<string>(500, TimeSpan.FromMinutes(1), 100, _time);
        var granted = new int[4];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 2_000; i++)
                if (windows.TryAcquire($"k{i % 4}", out _)) Interlocked.Increment(ref granted[i % 4]);
        });
        granted.ShouldAllBe(n => n == 500);
    }

    [Fact]
    public void Ended_windows_are_dropped_by_a_later_request_and_their_keys_start_again()
    {
        var windows = new FixedWindows<string>(1, TimeSpan.FromMinutes(1), 1_000, _time);
        for (var i = 0; i < 100; i++) windows.TryAcquire($"k{i}", out _).ShouldBeTrue();
        windows.TryAcquire("k0", out _).ShouldBeFalse();
        windows.Tracked.ShouldBe(100);

        _time.Advance(TimeSpan.FromMinutes(1));
        windows.TryAcquire("other", out _).ShouldBeTrue(); // this request sweeps
        windows.Tracked.ShouldBe(1);
        windows.TryAcquire("k0", out _).ShouldBeTrue();
        windows.TryAcquire("k0", out _).ShouldBeFalse();
        windows.Tracked.ShouldBe(2);
    }

    [Fact]
    public void A_full_table_refuses_new_keys_until_windows_end_but_keeps_counting_the_keys_it_holds()
    {
        var windows = new FixedWindows<string>(2, TimeSpan.FromMinutes(1), 3, _time);
        foreach (var key in new[] { "a", "b", "c" }) windows.TryAcquire(key, out _).ShouldBeTrue();
        _time.Advance(TimeSpan.FromSeconds(30));
        windows.TryAcquire("d", out var wait).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromMinutes(1));
        windows.TryAcquire("a", out _).ShouldBeTrue();
        windows.TryAcquire("a", out _).ShouldBeFalse();
        windows.Tracked.ShouldBe(3);

        _time.Advance(TimeSpan.FromSeconds(30));
        windows.TryAcquire("d", out _).ShouldBeTrue();
        windows.Tracked.ShouldBe(1);
    }
}
