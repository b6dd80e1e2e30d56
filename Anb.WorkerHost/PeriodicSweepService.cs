using Mediator;

namespace Anb.WorkerHost;

/// <summary>Runs a sweep now and then every <see cref="Interval"/>, each run in its own scope; a failed run is logged and tried again next time.</summary>
internal abstract partial class PeriodicSweepService(IServiceScopeFactory scopes, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract ValueTask RunOnceAsync(IMediator mediator, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunOnceAsync(scope.ServiceProvider.GetRequiredService<IMediator>(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex, GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep} failed; will try again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string sweep);
}
