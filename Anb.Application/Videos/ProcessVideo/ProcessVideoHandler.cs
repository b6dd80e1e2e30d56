using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.Common;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.ProcessVideo;

/// <summary>
/// Turns an uploaded video into the ANB version. The worker first claims the video with a lease in the
/// database (one conditional update), renews it every third of its length while it transcodes and ends it
/// with the result, so a second delivery while the lease lives does nothing, and a crashed worker's video is
/// claimable again once its lease expires. While it transcodes it also writes the share of the output done
/// (at most once every <see cref="ProgressInterval"/>). Idempotent: a repeated task for a processed, failed or deleted
/// video does nothing. A failure before the last attempt is rethrown so the queue retries with backoff; the
/// last attempt marks the video failed with the reason.
/// </summary>
public sealed partial class ProcessVideoHandler(
    IVideoRepository videos,
    IUnitOfWork unitOfWork,
    IObjectStorage storage,
    IVideoTranscoder transcoder,
    IScratchSpace scratchSpace,
    WorkerIdentity worker,
    IOptions<ProcessingOptions> options,
    TimeProvider timeProvider,
    AnbMetrics metrics,
    ILogger<ProcessVideoHandler> logger) : ICommandHandler<ProcessVideoCommand, ProcessVideoOutcome>
{
    public async ValueTask<ProcessVideoOutcome> Handle(ProcessVideoCommand command, CancellationToken cancellationToken)
    {
        if (!await videos.TryClaimAsync(command.VideoId, worker.Name, Lease, cancellationToken))
        {
            LogSkipped(logger, command.VideoId, "deleted, finished or leased by another worker");
            return ProcessVideoOutcome.Skipped;
        }

        try
        {
            var video = await videos.FindAsync(command.VideoId, cancellationToken);
            if (video is null)
            {
                LogSkipped(logger, command.VideoId, "deleted");
                return ProcessVideoOutcome.Skipped;
            }

            return await ProcessAsync(video, command.LastDelivery, cancellationToken);
        }
        catch
        {
            // A retry or a shutdown hands the video on at once (a result has already ended the lease).
            await ReleaseLeaseAsync(command.VideoId);
            throw;
        }
    }

    /// <summary>The progress of a video is written at most once per this interval.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    private async Task<ProcessVideoOutcome> ProcessAsync(Video video, bool lastDelivery, CancellationToken cancellationToken)
    {
        using var scratch = scratchSpace.Create(video.Id);
        try
        {
            var processedKey = VideoStorageKeys.Processed(video.Id);
            await TranscodeUnderLeaseAsync(video, scratch, processedKey, cancellationToken);

            // Renewals changed the row: finish on a fresh copy, and only while the lease is still ours.
            unitOfWork.Reset();
            var current = await videos.FindAsync(video.Id, cancellationToken);
            if (current is null || !current.IsLeasedBy(worker.Name))
            {
                return await ResolveLostRaceAsync(video.Id);
            }

            current.MarkProcessed(processedKey, VideoStorageKeys.Poster(video.Id), timeProvider.GetUtcNow());
            var saved = false;
            await AnbTelemetry.StepAsync("mark processed", async () => saved = await TrySaveAsync(cancellationToken));
            if (!saved)
            {
                return await ResolveLostRaceAsync(video.Id);
            }

            metrics.VideoProcessed(current.Attempts);
            LogProcessed(logger, video.Id, current.Attempts);
            return ProcessVideoOutcome.Processed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await HandleFailureAsync(video, lastDelivery, ex);
        }
    }

    /// <summary>
    /// Transcodes while one timer renews the lease every third of its length and another writes the progress; both are
    /// stopped (and awaited) before returning. They share the unit of work, so they take turns with it.
    /// </summary>
    private async Task TranscodeUnderLeaseAsync(Video video, IScratchFolder scratch, string processedKey, CancellationToken cancellationToken)
    {
        using var stopTimers = new CancellationTokenSource();
        using var database = new SemaphoreSlim(1, 1);
        var progress = new LatestProgress();
        var renewals = RenewLeaseAsync(video.Id, database, stopTimers.Token);
        var progressWrites = WriteProgressAsync(video.Id, progress, database, stopTimers.Token);
        try
        {
            await TranscodeAndStoreAsync(video, scratch, processedKey, progress, cancellationToken);
        }
        finally
        {
            await stopTimers.CancelAsync();
            await Task.WhenAll(renewals, progressWrites);
        }
    }

    private Task RenewLeaseAsync(Guid videoId, SemaphoreSlim database, CancellationToken stop)
    {
        var lease = Lease;
        return EveryAsync(lease / 3, database, stop, async () =>
        {
            try
            {
                if (await videos.RenewLeaseAsync(videoId, worker.Name, lease, CancellationToken.None))
                {
                    return true;
                }

                LogLeaseLost(logger, videoId);
                return false;
            }
            catch (Exception ex)
            {
                LogRenewalFailed(logger, ex, videoId);
                return true;
            }
        });
    }

    /// <summary>Writes the latest progress, when it moved, once per <see cref="ProgressInterval"/> at most.</summary>
    private Task WriteProgressAsync(Guid videoId, LatestProgress progress, SemaphoreSlim database, CancellationToken stop)
    {
        var written = 0;
        return EveryAsync(ProgressInterval, database, stop, async () =>
        {
            var current = progress.Value;
            if (current <= written)
            {
                return true;
            }

            try
            {
                // False: the lease is gone; the renewals say so.
                var held = await videos.ReportProgressAsync(videoId, worker.Name, current, CancellationToken.None);
                written = current;
                return held;
            }
            catch (Exception ex)
            {
                LogProgressFailed(logger, ex, videoId);
                return true;
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="step"/> every <paramref name="period"/> (holding <paramref name="database"/>) until it
    /// returns false or <paramref name="stop"/> fires. A step under way is not cancelled half-way: stopping waits for it.
    /// </summary>
    private async Task EveryAsync(TimeSpan period, SemaphoreSlim database, CancellationToken stop, Func<Task<bool>> step)
    {
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await database.WaitAsync(CancellationToken.None);
                try
                {
                    if (!await step())
                    {
                        return;
                    }
                }
                finally
                {
                    database.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Transcoding ended.
        }
    }

    private async Task ReleaseLeaseAsync(Guid videoId)
    {
        try
        {
            await videos.ReleaseLeaseAsync(videoId, worker.Name, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The lease then simply expires.
            LogReleaseFailed(logger, ex, videoId);
        }
    }

    private async Task TranscodeAndStoreAsync(
        Video video, IScratchFolder scratch, string processedKey, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var input = scratch.PathOf("original.mp4");
        var output = scratch.PathOf("processed.mp4");
        var poster = scratch.PathOf("poster.jpg");
        await AnbTelemetry.StepAsync("download", () => storage.DownloadToFileAsync(video.OriginalKey, input, cancellationToken));
        await AnbTelemetry.StepAsync("transcode", async () =>
        {
            var started = timeProvider.GetTimestamp();
            await transcoder.TranscodeAsync(input, output, poster, progress, cancellationToken);
            metrics.TranscodeFinished(timeProvider.GetElapsedTime(started));
        });
        await AnbTelemetry.StepAsync("store", async () =>
        {
            await storage.PutFileAsync(VideoStorageKeys.Poster(video.Id), poster, "image/jpeg", cancellationToken);
            await storage.PutFileAsync(processedKey, output, "video/mp4", cancellationToken);
        });
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
        // Only the lease holder decides: if ours expired, another worker may be processing the video now.
        if (current is null || current.Status != VideoStatus.Processing || !current.IsLeasedBy(worker.Name))
        {
            return ProcessVideoOutcome.Skipped;
        }

        current.MarkFailed(FailureReason(ex));
        if (await TrySaveAsync(CancellationToken.None))
        {
            // A failure after storing (the poster stored, the processed file not) must leave nothing behind.
            await DeleteResultsAsync(video.Id);
        }

        metrics.VideoFailed(VideoFailureReasons.Of(ex), video.Attempts);
        LogFailed(logger, ex, video.Id, video.Attempts);
        return ProcessVideoOutcome.Failed;
    }

    /// <summary>
    /// Someone changed the row while we transcoded. If the video was deleted, the result (processed file and
    /// poster) belongs to nobody and is removed; if another delivery of the same task finished first, its
    /// result (same keys) stays.
    /// </summary>
    private async Task<ProcessVideoOutcome> ResolveLostRaceAsync(Guid videoId)
    {
        unitOfWork.Reset();
        if (await videos.FindAsync(videoId, CancellationToken.None) is null)
        {
            await DeleteResultsAsync(videoId);
        }

        LogSkipped(logger, videoId, "changed while processing");
        return ProcessVideoOutcome.Skipped;
    }

    /// <summary>Removes the processed file and the poster of a video that will not have them, logging what cannot be removed.</summary>
    private async Task DeleteResultsAsync(Guid videoId)
    {
        foreach (var key in VideoStorageKeys.Results(videoId))
        {
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogOrphan(logger, ex, key, videoId);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: lease lost to another worker while transcoding")]
    private static partial void LogLeaseLost(ILogger logger, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: lease renewal failed; will try again")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: progress not written; will try again")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: lease release failed; it will expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not delete object {Key} of video {VideoId}; remove it by hand")]
    private static partial void LogOrphan(ILogger logger, Exception exception, string key, Guid videoId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} processed on attempt {Attempt}")]
    private static partial void LogProcessed(ILogger logger, Guid videoId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId} attempt {Attempt} of {MaxAttempts} failed; will retry")]
    private static partial void LogRetry(ILogger logger, Exception exception, Guid videoId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video {VideoId} failed after {Attempts} attempts")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid videoId, int attempts);
}
