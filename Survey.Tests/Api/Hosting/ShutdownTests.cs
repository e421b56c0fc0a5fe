using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Hosting;

/// <summary>
/// Stopping the API stops each hosted service one call at a time. Program's <c>app.Run()</c> stops the host when the
/// application is asked to stop, and whoever asked may be stopping it too (the test factory does): two stops at once call
/// every hosted service's StopAsync concurrently, which Marten's projection coordinator does not survive (it disposed its
/// cancellation source under the other call in CI).
/// </summary>
public class ShutdownTests
{
    private sealed class StopProbe : IHostedService
    {
        private int _inFlight;
        public int Calls;
        public int MostAtOnce;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MostAtOnce, now);
            await Task.Delay(300, CancellationToken.None); // long enough for a concurrent second stop to overlap
            Interlocked.Decrement(ref _inFlight);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    private sealed class ProbedApi : ApiFixture
    {
        public StopProbe Probe { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IHostedService>(Probe));
        }
    }

    [Fact]
    public async Task The_test_api_is_stopped_one_stop_at_a_time()
    {
        var api = new ProbedApi();
        (await api.CreateClient().GetAsync("/health")).EnsureSuccessStatusCode();

        await api.DisposeAsync();

        api.Probe.Calls.ShouldBeGreaterThanOrEqualTo(1);
        api.Probe.MostAtOnce.ShouldBe(1);
    }
}
