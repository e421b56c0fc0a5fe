using Microsoft.Extensions.Logging;
using Survey.Api.Storage;
using HangfireLevel = Hangfire.Logging.LogLevel;

namespace Survey.Tests.Api.Hosting;

/// <summary>
/// Hangfire keeps one log provider per process; with several hosts in a process it can point at a host already disposed.
/// Our provider forwards to the host's loggers while they live and goes quiet, instead of throwing, once they are gone.
/// </summary>
public class HangfireLogsTests
{
    private sealed class Capture : ILoggerProvider
    {
        public readonly List<(string Category, LogLevel Level, string Text)> Lines = [];
        public ILogger CreateLogger(string categoryName) => new Into(this, categoryName);
        public void Dispose() { }

        private sealed class Into(Capture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (capture.Lines) capture.Lines.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }

    [Fact]
    public void Forwards_to_the_hosts_loggers_with_the_level_mapped()
    {
        var capture = new Capture();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(capture));
        var log = new HangfireLogs(factory).GetLogger("Hangfire.Server.Worker");

        log.Log(HangfireLevel.Warn, () => "job 42 failed, retrying").ShouldBeTrue();
        log.Log(HangfireLevel.Debug, () => "below the host's level").ShouldBeFalse();
        log.Log(HangfireLevel.Info, null).ShouldBeTrue("a null message asks whether the level is enabled");
        log.Log(HangfireLevel.Trace, null).ShouldBeFalse();

        capture.Lines.ShouldHaveSingleItem().ShouldBe(("Hangfire.Server.Worker", LogLevel.Warning, "job 42 failed, retrying"));
    }

    [Fact]
    public void A_disposed_logger_factory_makes_hangfire_quiet_not_failing()
    {
        var capture = new Capture();
        var factory = LoggerFactory.Create(logging => logging.AddProvider(capture));
        var logs = new HangfireLogs(factory);
        factory.Dispose();

        Should.Throw<ObjectDisposedException>(() => factory.CreateLogger("Hangfire.Client"), "what Hangfire's own AspNetCoreLogProvider runs into");
        var log = logs.GetLogger("Hangfire.Client.CoreBackgroundJobFactory");
        log.Log(HangfireLevel.Error, () => "not written anywhere").ShouldBeFalse();
        capture.Lines.ShouldBeEmpty();
    }
}
