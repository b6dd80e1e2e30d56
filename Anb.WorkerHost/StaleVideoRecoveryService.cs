using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.RecoverStaleVideos;
using Mediator;
using Microsoft.Extensions.Options;

namespace Anb.WorkerHost;

/// <summary>Every <c>RecoveryIntervalSeconds</c>, puts videos that a crashed worker or a lost task left behind back in the queue.</summary>
internal sealed partial class StaleVideoRecoveryService(
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    AnbMetrics metrics,
    ILogger<StaleVideoRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RecoveryIntervalSeconds);
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RecoverStaleVideosCommand(), stoppingToken);
                for (var i = 0; i < result.Failed; i++)
                {
                    metrics.VideoFailed(VideoFailureReasons.AttemptsExhausted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale video sweep failed; will try again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
