using Anb.Application.Abstractions;
using Anb.Application.Common.Telemetry;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Anb.Infrastructure.Queue;

/// <summary>
/// Enqueues a <see cref="ProcessVideoJob"/> in Hangfire's PostgreSQL storage, with the caller's trace context as
/// the job parameters <c>traceparent</c> and <c>tracestate</c> (kept across Hangfire's retries).
/// </summary>
public sealed class HangfireVideoQueue(IBackgroundJobClientV2 jobs) : IVideoQueue
{
    public Task EnqueueProcessingAsync(Guid videoId, CancellationToken cancellationToken)
    {
        using var send = AnbTelemetry.StartSend(videoId, ProcessVideoJob.MessagingSystem);
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        if (AnbTelemetry.CurrentContext() is ({ } traceParent, var traceState))
        {
            parameters[AnbTelemetry.TraceParent] = traceParent;
            if (!string.IsNullOrEmpty(traceState))
            {
                parameters[AnbTelemetry.TraceState] = traceState;
            }
        }

        jobs.Create(Job.FromExpression<ProcessVideoJob>(job => job.RunAsync(videoId, null, CancellationToken.None)), new EnqueuedState(), parameters);
        return Task.CompletedTask;
    }
}
