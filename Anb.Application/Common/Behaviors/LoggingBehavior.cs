using System.Diagnostics;
using Anb.Application.Common.Exceptions;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.Application.Common.Behaviors;

/// <summary>Logs each message with its outcome and duration; expected failures are not errors.</summary>
public sealed partial class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            LogHandled(logger, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (AppException ex)
        {
            LogRefused(logger, name, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Message} handled in {ElapsedMs:F1} ms")]
    private static partial void LogHandled(ILogger logger, string message, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message} refused with {Outcome} in {ElapsedMs:F1} ms")]
    private static partial void LogRefused(ILogger logger, string message, string outcome, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message} failed after {ElapsedMs:F1} ms")]
    private static partial void LogFailed(ILogger logger, Exception exception, string message, double elapsedMs);
}
