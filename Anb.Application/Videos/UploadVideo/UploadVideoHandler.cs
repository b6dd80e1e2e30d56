using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.Common;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>
/// Stores an upload that <see cref="UploadVideoValidator"/> accepted, records its row, enqueues it and marks the row
/// queued. The row and its original are the upload's record (an outbox): once both are saved the upload is
/// accepted, even when the enqueue or the mark fails, because the stale-video sweep enqueues a row left unqueued.
/// Only a failure to store the original or to save the row refuses the upload, and then the original is deleted.
/// </summary>
public sealed partial class UploadVideoHandler(
    IObjectStorage storage,
    IVideoRepository videos,
    IUnitOfWork unitOfWork,
    IVideoQueue queue,
    TimeProvider timeProvider,
    ILogger<UploadVideoHandler> logger) : ICommandHandler<UploadVideoCommand, UploadVideoResponse>
{
    public async ValueTask<UploadVideoResponse> Handle(UploadVideoCommand command, CancellationToken cancellationToken)
    {
        var videoId = Guid.CreateVersion7(timeProvider.GetUtcNow());
        var originalKey = VideoStorageKeys.Original(videoId);
        try
        {
            await storage.PutFileAsync(originalKey, command.FilePath!, "video/mp4", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ServiceUnavailableException(ClientMessages.Upload.StorageUnavailable, ex);
        }

        // Uploaded when recorded: the stale-video sweep's grace counts from here, not from the start of a long store.
        var video = Video.Create(videoId, command.UserId, command.Title!, originalKey, timeProvider.GetUtcNow());
        try
        {
            videos.Add(video);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            await DeleteOriginalAsync(video, ex);
            throw;
        }
        catch (Exception ex)
        {
            await DeleteOriginalAsync(video, ex);
            throw new ServiceUnavailableException(ClientMessages.Upload.StorageUnavailable, ex);
        }

        try
        {
            await queue.EnqueueProcessingAsync(videoId, CancellationToken.None);
            await videos.MarkQueuedAsync(videoId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogLeftForSweep(logger, ex, videoId);
        }

        return new UploadVideoResponse(ClientMessages.Upload.Accepted, videoId);
    }

    /// <summary>The row was not saved: its original belongs to nobody. One the store cannot delete now is removed by the orphaned-originals sweep.</summary>
    private async Task DeleteOriginalAsync(Video video, Exception cause)
    {
        LogUndo(logger, cause, video.Id);
        try
        {
            await storage.DeleteAsync(video.OriginalKey, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogOriginalKept(logger, ex, video.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId} recorded but not queued; the stale-video sweep will enqueue it")]
    private static partial void LogLeftForSweep(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of video {VideoId} not recorded; deleting its original")]
    private static partial void LogUndo(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Original of video {VideoId} could not be deleted; the orphaned-originals sweep will")]
    private static partial void LogOriginalKept(ILogger logger, Exception exception, Guid videoId);
}
