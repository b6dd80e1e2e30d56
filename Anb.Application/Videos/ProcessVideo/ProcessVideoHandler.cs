using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.Common;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.ProcessVideo;

/// <summary>
/// Turns an uploaded video into the ANB version. Idempotent: a repeated task for a processed, failed or
/// deleted video does nothing. A failure before the last attempt is rethrown so the queue retries with
/// backoff; the last attempt marks the video failed with the reason.
/// </summary>
public sealed partial class ProcessVideoHandler(
    IVideoRepository videos,
    IUnitOfWork unitOfWork,
    IObjectStorage storage,
    IVideoTranscoder transcoder,
    IScratchSpace scratchSpace,
    IOptions<ProcessingOptions> options,
    TimeProvider timeProvider,
    ILogger<ProcessVideoHandler> logger) : ICommandHandler<ProcessVideoCommand, ProcessVideoOutcome>
{
    public async ValueTask<ProcessVideoOutcome> Handle(ProcessVideoCommand command, CancellationToken cancellationToken)
    {
        var video = await videos.FindAsync(command.VideoId, cancellationToken);
        if (video is null || video.Status is VideoStatus.Processed or VideoStatus.Failed)
        {
            LogSkipped(logger, command.VideoId, video?.Status.ToString() ?? "deleted");
            return ProcessVideoOutcome.Skipped;
        }

        video.StartProcessing(timeProvider.GetUtcNow());
        if (!await TrySaveAsync(cancellationToken))
        {
            return ProcessVideoOutcome.Skipped;
        }

        using var scratch = scratchSpace.Create(video.Id);
        try
        {
            var processedKey = VideoStorageKeys.Processed(video.Id);
            await TranscodeAndStoreAsync(video, scratch, processedKey, cancellationToken);
            video.MarkProcessed(processedKey, timeProvider.GetUtcNow());
            if (!await TrySaveAsync(cancellationToken))
            {
                return await ResolveLostRaceAsync(video.Id, processedKey);
            }

            LogProcessed(logger, video.Id, video.Attempts);
            return ProcessVideoOutcome.Processed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await HandleFailureAsync(video, command.LastDelivery, ex);
        }
    }

    private async Task TranscodeAndStoreAsync(Video video, IScratchFolder scratch, string processedKey, CancellationToken cancellationToken)
    {
        var input = scratch.PathOf("original.mp4");
        var output = scratch.PathOf("processed.mp4");
        await storage.DownloadToFileAsync(video.OriginalKey, input, cancellationToken);
        await transcoder.TranscodeAsync(input, output, cancellationToken);
        await storage.PutFileAsync(processedKey, output, "video/mp4", cancellationToken);
    }

    private async Task<ProcessVideoOutcome> HandleFailureAsync(Video video, bool lastDelivery, Exception ex)
    {
        var maxAttempts = options.Value.MaxAttempts;
        // A header that lied about the stream stays a lie on every attempt: no retry.
        if (video.Attempts < maxAttempts && !lastDelivery && ex is not DecodedVideoMismatchException)
        {
            LogRetry(logger, ex, video.Id, video.Attempts, maxAttempts);
            throw new VideoProcessingRetryException(video.Id, ex);
        }

        // Reload: the tracked entity may hold a half-applied change.
        unitOfWork.Reset();
        var current = await videos.FindAsync(video.Id, CancellationToken.None);
        if (current is null || current.Status != VideoStatus.Processing)
        {
            return ProcessVideoOutcome.Skipped;
        }

        current.MarkFailed(FailureReason(ex));
        await TrySaveAsync(CancellationToken.None);
        LogFailed(logger, ex, video.Id, video.Attempts);
        return ProcessVideoOutcome.Failed;
    }

    /// <summary>
    /// Someone changed the row while we transcoded. If the video was deleted, the result belongs to nobody
    /// and is removed; if another delivery of the same task finished first, its result (same key) stays.
    /// </summary>
    private async Task<ProcessVideoOutcome> ResolveLostRaceAsync(Guid videoId, string processedKey)
    {
        unitOfWork.Reset();
        if (await videos.FindAsync(videoId, CancellationToken.None) is null)
        {
            await storage.DeleteAsync(processedKey, CancellationToken.None);
        }

        LogSkipped(logger, videoId, "changed while processing");
        return ProcessVideoOutcome.Skipped;
    }

    private async Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    private static string FailureReason(Exception ex) => ex switch
    {
        DecodedVideoMismatchException { Rule: DecodedVideoRule.MinDuration } m => ClientMessages.Processing.DecodedTooShort(m.Required),
        DecodedVideoMismatchException m => ClientMessages.Processing.DecodedTooSmall(m.Required),
        VideoTranscodingTimeoutException => ClientMessages.Processing.TimeLimitExceeded,
        VideoTranscodingException => ClientMessages.Processing.TranscodingFailed(ex.Message),
        FileNotFoundException => ClientMessages.Processing.OriginalMissing,
        _ => ClientMessages.Processing.InternalError,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} skipped ({State})")]
    private static partial void LogSkipped(ILogger logger, Guid videoId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} processed on attempt {Attempt}")]
    private static partial void LogProcessed(ILogger logger, Guid videoId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId} attempt {Attempt} of {MaxAttempts} failed; will retry")]
    private static partial void LogRetry(ILogger logger, Exception exception, Guid videoId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video {VideoId} failed after {Attempts} attempts")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid videoId, int attempts);
}
