using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.Common;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>
/// Stores an upload that <see cref="UploadVideoValidator"/> accepted, records it and enqueues it. A failing
/// step undoes the earlier ones, so there is never an object without a row, a row without an object or a task without a row.
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
        var now = timeProvider.GetUtcNow();
        var videoId = Guid.CreateVersion7(now);
        var video = Video.Create(videoId, command.UserId, command.Title!, VideoStorageKeys.Original(videoId), now);

        await Guard(() => storage.PutFileAsync(video.OriginalKey, command.FilePath!, "video/mp4", cancellationToken));

        try
        {
            videos.Add(video);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await UndoAsync(video, rowSaved: false, ex);
            throw new ServiceUnavailableException(ClientMessages.Upload.StorageUnavailable, ex);
        }
        catch (OperationCanceledException ex)
        {
            await UndoAsync(video, rowSaved: false, ex);
            throw;
        }

        try
        {
            await queue.EnqueueProcessingAsync(videoId, cancellationToken);
        }
        catch (Exception ex)
        {
            await UndoAsync(video, rowSaved: true, ex);
            throw new ServiceUnavailableException(ClientMessages.Upload.StorageUnavailable, ex);
        }

        return new UploadVideoResponse(ClientMessages.Upload.Accepted, videoId);
    }

    private static async Task Guard(Func<Task> storageCall)
    {
        try
        {
            await storageCall();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ServiceUnavailableException(ClientMessages.Upload.StorageUnavailable, ex);
        }
    }

    /// <summary>
    /// Removes what an interrupted upload left: the row (when saved), then the stored object. A row that
    /// cannot be removed keeps its object, so there is never a row without its file: the stale-video sweep
    /// enqueues it later.
    /// </summary>
    private async Task UndoAsync(Video video, bool rowSaved, Exception cause)
    {
        LogUndo(logger, cause, video.Id);
        if (rowSaved)
        {
            try
            {
                videos.Remove(video);
                await unitOfWork.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogRowKept(logger, ex, video.Id);
                return;
            }
        }

        await storage.DeleteAsync(video.OriginalKey, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: its row could not be removed; row and original kept for the stale-video sweep")]
    private static partial void LogRowKept(ILogger logger, Exception exception, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of video {VideoId} interrupted; undoing its stored parts")]
    private static partial void LogUndo(ILogger logger, Exception exception, Guid videoId);
}
