using Microsoft.Extensions.Logging;
using HangfireLogLevel = Hangfire.Logging.LogLevel;

namespace Anb.Infrastructure.Queue;

/// <summary>
/// Hangfire's log provider is process-wide, so with several hosts in one process (tests) it can outlive
/// the host whose logger factory it holds. This one writes to Microsoft.Extensions.Logging and turns a
/// disposed factory into silence instead of failing the caller (an enqueue).
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggerFactory) : Hangfire.Logging.ILogProvider
{
    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return new HangfireLog(loggerFactory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new HangfireLog(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }
    }

    private sealed class HangfireLog(ILogger logger) : Hangfire.Logging.ILog
    {
        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                HangfireLogLevel.Trace => LogLevel.Trace,
                HangfireLogLevel.Debug => LogLevel.Debug,
                HangfireLogLevel.Info => LogLevel.Information,
                HangfireLogLevel.Warn => LogLevel.Warning,
                HangfireLogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null)
            {
                return logger.IsEnabled(level);
            }

#pragma warning disable CA1848, CA2254 // Hangfire hands over finished messages, not templates.
            logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
            return true;
        }
    }
}
