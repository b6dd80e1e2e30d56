using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.ProcessVideo;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Queue;

/// <summary>
/// The worker side of <see cref="SqsVideoQueue"/>. Long-polls for at most <c>MaxConcurrency</c> videos at a
/// time and sends each as a <see cref="ProcessVideoCommand"/>, renewing the message's visibility while it
/// runs. A processed or skipped video deletes the message; a failed attempt hides it for the retry backoff,
/// so SQS redelivers it; a final failure (the handler marks the video failed on the last delivery) leaves
/// it for SQS to move to the dead-letter queue after <c>MaxReceiveCount</c> receives. On shutdown
/// it stops receiving (what a poll under way still returns is released at once), lets in-flight videos
/// finish within the host's shutdown timeout and releases the messages of those that cannot.
/// </summary>
internal sealed partial class SqsVideoQueueConsumer(
    IAmazonSQS sqs,
    IServiceScopeFactory scopes,
    IOptions<SqsQueueOptions> options,
    IOptions<ProcessingOptions> processing,
    IOptions<HostOptions> hostOptions,
    AnbMetrics metrics,
    TimeProvider timeProvider,
    ILogger<SqsVideoQueueConsumer> logger) : BackgroundService
{
    private const int MaxMessagesPerReceive = 10;
    private const int MaxVisibilityTimeoutSeconds = 43_200;
    private static readonly TimeSpan ReceiveErrorPause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxReleaseMargin = TimeSpan.FromSeconds(5);

    private readonly SqsQueueOptions settings = options.Value;
    private readonly CancellationTokenSource abortProcessing = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // In-flight videos get the shutdown timeout less a margin to release the messages they still hold.
        var timeout = hostOptions.Value.ShutdownTimeout;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var margin = TimeSpan.FromTicks(Math.Min(MaxReleaseMargin.Ticks, timeout.Ticks / 4));
            abortProcessing.CancelAfter(timeout - margin);
        }

        await using var registration = cancellationToken.Register(abortProcessing.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        abortProcessing.Cancel();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var abort = abortProcessing.Token;
        var capacity = settings.MaxConcurrency;
        using var slots = new SemaphoreSlim(capacity, capacity);
        LogStarted(logger, settings.QueueUrl, capacity);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var wanted = 1;
                while (wanted < Math.Min(capacity, MaxMessagesPerReceive) && slots.Wait(0))
                {
                    wanted++;
                }

                var messages = await ReceiveAsync(wanted, slots, abort, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    // Received by the poll that was under way when the host began stopping: hand them back.
                    await Task.WhenAll(messages.Select(m => Lease(m).ReleaseAsync()));
                    if (messages.Count > 0)
                    {
                        slots.Release(messages.Count);
                    }

                    break;
                }

                foreach (var message in messages)
                {
                    _ = RunAsync(message, slots, abort);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: receive no more.
        }

        // Every slot back means every in-flight video has finished or released its message.
        for (var i = 0; i < capacity; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }

        LogStopped(logger);
    }

    // Gives back the slots it does not fill. A poll under way is not cut short when the host begins stopping
    // (a dropped poll can hide messages for a whole visibility timeout); only the abort deadline cancels it.
    private async Task<IReadOnlyList<Message>> ReceiveAsync(int wanted, SemaphoreSlim slots, CancellationToken abort, CancellationToken stoppingToken)
    {
        IReadOnlyList<Message> messages;
        try
        {
            var response = await sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = settings.QueueUrl,
                    MaxNumberOfMessages = wanted,
                    WaitTimeSeconds = settings.WaitTimeSeconds,
                    VisibilityTimeout = settings.VisibilityTimeoutSeconds,
                    MessageSystemAttributeNames = [MessageSystemAttributeName.ApproximateReceiveCount],
                    MessageAttributeNames = [AnbTelemetry.TraceParent, AnbTelemetry.TraceState],
                },
                abort);
            messages = response.Messages ?? [];
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            slots.Release(wanted);
            return [];
        }
        catch (Exception ex)
        {
            LogReceiveFailed(logger, ex, ReceiveErrorPause.TotalSeconds);
            slots.Release(wanted);
            await Task.Delay(ReceiveErrorPause, stoppingToken);
            return [];
        }

        if (messages.Count < wanted)
        {
            slots.Release(wanted - messages.Count);
        }

        return messages;
    }

    private async Task RunAsync(Message message, SemaphoreSlim slots, CancellationToken abort)
    {
        try
        {
            await ProcessAsync(message, abort);
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, message.MessageId);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ProcessAsync(Message message, CancellationToken abort)
    {
        var lease = Lease(message);
        if (!SqsVideoMessage.TryParse(message.Body, out var task))
        {
            LogMalformed(logger, message.MessageId, message.Body?.Length > 200 ? message.Body[..200] : message.Body);
            await lease.CompleteAsync();
            return;
        }

        var receiveCount = ReceiveCount(message);
        using var activity = AnbTelemetry.StartProcessing(
            task.VideoId, Attribute(message, AnbTelemetry.TraceParent), Attribute(message, AnbTelemetry.TraceState), SqsVideoQueue.MessagingSystem, receiveCount);
        activity.SetTag("messaging.message.id", message.MessageId);
        if (receiveCount == 1)
        {
            metrics.QueueWaited(timeProvider.GetUtcNow().UtcDateTime - task.EnqueuedAt);
        }

        var command = new ProcessVideoCommand(task.VideoId, LastDelivery: receiveCount >= settings.MaxReceiveCount);
        try
        {
            var outcome = await SendWithHeartbeatAsync(lease, command, abort);
            AnbTelemetry.SetOutcome(activity, outcome);
            LogCompleted(logger, task.VideoId, outcome, receiveCount);
            if (outcome == ProcessVideoOutcome.Failed)
            {
                // Final failure: the video is marked failed. Made visible again, the message is moved to the
                // dead-letter queue by SQS on its next receive (or, received early, found failed and deleted).
                await lease.ReleaseAsync();
            }
            else
            {
                await lease.CompleteAsync();
            }
        }
        catch (OperationCanceledException ex) when (abort.IsCancellationRequested)
        {
            AnbTelemetry.SetError(activity, ex);
            LogReleased(logger, task.VideoId);
            await lease.ReleaseAsync();
        }
        catch (VideoProcessingRetryException ex)
        {
            AnbTelemetry.SetError(activity, ex);
            // The handler has logged the cause; the message reappears after the backoff.
            var delay = BackoffSeconds(receiveCount);
            LogRetryScheduled(logger, task.VideoId, receiveCount, delay);
            await lease.RetryLaterAsync(delay);
        }
        catch (Exception ex)
        {
            AnbTelemetry.SetError(activity, ex);
            var delay = BackoffSeconds(receiveCount);
            LogAttemptFailed(logger, ex, task.VideoId, receiveCount, delay);
            await lease.RetryLaterAsync(delay);
        }
    }

    private async Task<ProcessVideoOutcome> SendWithHeartbeatAsync(SqsMessageLease lease, ProcessVideoCommand command, CancellationToken abort)
    {
        await using var heartbeat = lease.StartHeartbeat(command.VideoId, abort);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, abort);
    }

    private SqsMessageLease Lease(Message message) => new(sqs, settings, message, logger);

    private int BackoffSeconds(int receiveCount) => (int)Math.Min(
        MaxVisibilityTimeoutSeconds,
        Math.Ceiling(RetryBackoff.After(receiveCount, processing.Value.RetryBaseDelaySeconds).TotalSeconds));

    private static string? Attribute(Message message, string name) =>
        message.MessageAttributes is { } attributes && attributes.TryGetValue(name, out var value) ? value.StringValue : null;

    private static int ReceiveCount(Message message) =>
        message.Attributes is { } attributes
        && attributes.TryGetValue(MessageSystemAttributeName.ApproximateReceiveCount, out var value)
        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 1;

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS consumer started on {QueueUrl} with {MaxConcurrency} slots")]
    private static partial void LogStarted(ILogger logger, string queueUrl, int maxConcurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS consumer stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS receive failed; trying again in {PauseSeconds} s")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, double pauseSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} is not a processing task and is deleted: {Body}")]
    private static partial void LogMalformed(ILogger logger, string messageId, string? body);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} task done ({Outcome}) on receive {ReceiveCount}")]
    private static partial void LogCompleted(ILogger logger, Guid videoId, ProcessVideoOutcome outcome, int receiveCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId} interrupted by shutdown; its message is released for another worker")]
    private static partial void LogReleased(ILogger logger, Guid videoId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} will be retried: receive {ReceiveCount} failed, next delivery in {DelaySeconds} s")]
    private static partial void LogRetryScheduled(ILogger logger, Guid videoId, int receiveCount, int delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video {VideoId} task failed on receive {ReceiveCount}; next delivery in {DelaySeconds} s")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid videoId, int receiveCount, int delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error handling SQS message {MessageId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string messageId);
}
