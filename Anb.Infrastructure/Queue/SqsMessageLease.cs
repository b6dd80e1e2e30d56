using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;

namespace Anb.Infrastructure.Queue;

/// <summary>
/// One received message as its consumer holds it: a heartbeat keeps it hidden while its video is processed,
/// then it is completed (deleted), hidden for a retry delay or released to be received again at once.
/// A failing SQS call is logged, never thrown: the message then comes back when its visibility timeout ends.
/// </summary>
internal sealed partial class SqsMessageLease(IAmazonSQS sqs, SqsQueueOptions settings, Message message, ILogger logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Renews the visibility every third of the timeout until the handle is disposed or <paramref name="abort"/> is cancelled.</summary>
    public IAsyncDisposable StartHeartbeat(Guid videoId, CancellationToken abort)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        return new Heartbeat(stop, HeartbeatAsync(videoId, stop.Token));
    }

    public async Task CompleteAsync()
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await sqs.DeleteMessageAsync(settings.QueueUrl, message.ReceiptHandle, timeout.Token);
        }
        catch (Exception ex)
        {
            // The message comes back; processing is idempotent, so the next delivery is a no-op.
            LogSettleFailed(logger, ex, message.MessageId, "delete");
        }
    }

    public Task RetryLaterAsync(int delaySeconds) => HideAsync(delaySeconds);

    public Task ReleaseAsync() => HideAsync(0);

    private async Task HideAsync(int seconds)
    {
        try
        {
            await SetVisibilityAsync(seconds);
        }
        catch (Exception ex)
        {
            // The message comes back when its current visibility timeout ends.
            LogSettleFailed(logger, ex, message.MessageId, $"set visibility to {seconds} s");
        }
    }

    private async Task HeartbeatAsync(Guid videoId, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.VisibilityTimeoutSeconds / 3.0));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await SetVisibilityAsync(settings.VisibilityTimeoutSeconds);
                }
                catch (Exception ex)
                {
                    LogHeartbeatFailed(logger, ex, videoId);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Processing ended.
        }
    }

    private async Task SetVisibilityAsync(int seconds)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        await sqs.ChangeMessageVisibilityAsync(
            new ChangeMessageVisibilityRequest
            {
                QueueUrl = settings.QueueUrl,
                ReceiptHandle = message.ReceiptHandle,
                VisibilityTimeout = seconds,
            },
            timeout.Token);
    }

    // Disposing waits for a renewal under way, so none can land after the delete or release that follows.
    private sealed class Heartbeat(CancellationTokenSource stop, Task renewals) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewals;
            stop.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not extend the visibility of video {VideoId}'s message")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Action} SQS message {MessageId}")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string messageId, string action);
}
