using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.ProcessVideo;
using Hangfire.Server;
using Mediator;

namespace Anb.Infrastructure.Queue;

/// <summary>
/// The Hangfire job: one processing task, sent to the application as a command inside a <c>process video</c>
/// span parented by the trace context the job carries; its first run records how long it waited in the queue.
/// </summary>
public sealed class ProcessVideoJob(IMediator mediator, AnbMetrics metrics, TimeProvider timeProvider)
{
    public const string MessagingSystem = "hangfire";

    /// <summary>Jobs enqueued before the trace context travelled with them.</summary>
    public Task RunAsync(Guid videoId, CancellationToken cancellationToken) => RunAsync(videoId, null, cancellationToken);

    /// <remarks>Hangfire passes the job's <paramref name="context"/> and its shutdown token for <paramref name="cancellationToken"/>.</remarks>
    public async Task RunAsync(Guid videoId, PerformContext? context, CancellationToken cancellationToken)
    {
        var retries = context?.GetJobParameter<int>("RetryCount") ?? 0;
        using var activity = AnbTelemetry.StartProcessing(
            videoId,
            context?.GetJobParameter<string>(AnbTelemetry.TraceParent),
            context?.GetJobParameter<string>(AnbTelemetry.TraceState),
            MessagingSystem,
            retries + 1);
        if (retries == 0 && context is not null)
        {
            metrics.QueueWaited(timeProvider.GetUtcNow().UtcDateTime - context.BackgroundJob.CreatedAt);
        }

        try
        {
            var outcome = await mediator.Send(new ProcessVideoCommand(videoId), cancellationToken);
            AnbTelemetry.SetOutcome(activity, outcome);
        }
        catch (Exception ex)
        {
            AnbTelemetry.SetError(activity, ex);
            throw;
        }
    }
}
