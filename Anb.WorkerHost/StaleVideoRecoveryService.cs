using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.RecoverStaleVideos;
using Mediator;
using Microsoft.Extensions.Options;

namespace Anb.WorkerHost;

/// <summary>Every <c>RecoveryIntervalSeconds</c>, puts videos that a crashed worker, a lost task or a failed enqueue left behind back in the queue.</summary>
internal sealed class StaleVideoRecoveryService(
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    AnbMetrics metrics,
    ILogger<StaleVideoRecoveryService> logger) : PeriodicSweepService(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RecoveryIntervalSeconds);

    protected override async ValueTask RunOnceAsync(IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RecoverStaleVideosCommand(), cancellationToken);
        for (var i = 0; i < result.Failed; i++)
        {
            metrics.VideoFailed(VideoFailureReasons.AttemptsExhausted);
        }
    }
}
