using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.ProcessVideo;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.RecoverStaleVideos;

/// <summary>
/// A video in <c>processing</c> whose lease expired (its worker died), in <c>processing</c> without a lease
/// past the stale limit, still <c>uploaded</c> that long after it was queued (its task was lost), or
/// <c>uploaded</c> and never queued past the short enqueue grace (its upload's enqueue failed) is enqueued and
/// marked queued; one that has used every attempt is marked failed. A queued backlog is left alone until the
/// stale limit, so the queue (whose depth the worker's autoscaling reads) is not filled twice. Re-enqueuing is
/// safe: a delivery while a lease lives is skipped.
/// </summary>
public sealed partial class RecoverStaleVideosHandler(
    IVideoRepository videos,
    IUnitOfWork unitOfWork,
    IVideoQueue queue,
    IOptions<ProcessingOptions> options,
    TimeProvider timeProvider,
    ILogger<RecoverStaleVideosHandler> logger) : ICommandHandler<RecoverStaleVideosCommand, RecoverStaleVideosResult>
{
    public async ValueTask<RecoverStaleVideosResult> Handle(RecoverStaleVideosCommand command, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var limit = now - TimeSpan.FromMinutes(options.Value.StaleAfterMinutes);
        var stale = await videos.ListStaleAsync(
            limit, limit, now - TimeSpan.FromSeconds(options.Value.EnqueueGraceSeconds), command.MaxVideos, cancellationToken);
        int requeued = 0, failed = 0;
        foreach (var video in stale)
        {
            if (video.Status == VideoStatus.Processing && video.Attempts >= options.Value.MaxAttempts)
            {
                video.MarkFailed(ClientMessages.Processing.TimedOut);
                try
                {
                    await unitOfWork.SaveChangesAsync(cancellationToken);
                    failed++;
                }
                catch (ConcurrencyConflictException)
                {
                    unitOfWork.Reset();
                }

                continue;
            }

            await queue.EnqueueProcessingAsync(video.Id, cancellationToken);
            await videos.MarkQueuedAsync(video.Id, cancellationToken);
            requeued++;
        }

        if (requeued + failed > 0)
        {
            LogRecovered(logger, requeued, failed);
        }

        return new RecoverStaleVideosResult(requeued, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered stale videos: {Requeued} requeued, {Failed} marked failed")]
    private static partial void LogRecovered(ILogger logger, int requeued, int failed);
}
