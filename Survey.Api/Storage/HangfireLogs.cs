using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Survey.Api.Storage;

/// <summary>
/// Hangfire's log provider is a process-wide static (GlobalConfiguration), and Hangfire.AspNetCore points it at the logger
/// factory of whichever host resolved Hangfire last. With several hosts in one process (the test suite, or a host restarted in
/// place) that factory can already be disposed, and every Hangfire client call then throws ObjectDisposedException from
/// LoggerFactory.CreateLogger (HangfireIO/Hangfire#1099, #2147). This provider gives Hangfire a logger that skips logging instead
/// of failing the caller when its factory is gone.
/// </summary>
public sealed class HangfireLogs(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try { return new Forwarding(factory.CreateLogger(name)); }
        catch (ObjectDisposedException) { return Silent.Instance; }
    }

    private sealed class Forwarding(Microsoft.Extensions.Logging.ILogger logger) : ILog
    {
        public bool Log(HangfireLevel level, Func<string>? message, Exception? exception = null)
        {
            var msLevel = level switch
            {
                HangfireLevel.Trace => MsLevel.Trace,
                HangfireLevel.Debug => MsLevel.Debug,
                HangfireLevel.Info => MsLevel.Information,
                HangfireLevel.Warn => MsLevel.Warning,
                HangfireLevel.Error => MsLevel.Error,
                _ => MsLevel.Critical,
            };
            try
            {
                if (message is null) return logger.IsEnabled(msLevel);
                if (!logger.IsEnabled(msLevel)) return false;
                logger.Log(msLevel, 0, message(), exception, static (text, _) => text);
                return true;
            }
            catch (ObjectDisposedException) { return false; }
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(HangfireLevel level, Func<string>? message, Exception? exception = null) => false;
    }
}
