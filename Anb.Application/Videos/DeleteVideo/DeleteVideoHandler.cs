using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.Common;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.Application.Videos.DeleteVideo;

/// <summary>
/// Deletes a video that is not public yet: the row first (so no task or reader finds it again), then
/// every stored object. A task still queued for it finishes as a no-op.
/// </summary>
public sealed partial class DeleteVideoHandler(
    IVideoRepository videos,
    IUnitOfWork unitOfWork,
    IObjectStorage storage,
    ILogger<DeleteVideoHandler> logger) : ICommandHandler<DeleteVideoCommand, DeleteVideoResponse>
{
    public async ValueTask<DeleteVideoResponse> Handle(DeleteVideoCommand command, CancellationToken cancellationToken)
    {
        var video = await RemoveAsync(command, cancellationToken);

        // A worker may be writing the processed file and poster right now; it removes them itself when it
        // finds the row gone. Every key is deleted here so nothing stays behind either way.
        foreach (var key in (string[])[video.OriginalKey, .. VideoStorageKeys.Results(video.Id)])
        {
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogOrphan(logger, ex, key, video.Id);
            }
        }

        return new DeleteVideoResponse(ClientMessages.Videos.Deleted, video.Id);
    }

    /// <summary>
    /// Removes the row. A worker may change it between our read and our delete (it starts processing):
    /// then read it again and decide again, since it may have become public meanwhile.
    /// </summary>
    private async Task<Video> RemoveAsync(DeleteVideoCommand command, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var video = await videos.FindOwnedAsync(command.VideoId, command.UserId, cancellationToken);
            video.EnsureCanBeDeleted();
            videos.Remove(video);
            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return video;
            }
            catch (ConcurrencyConflictException) when (attempt < attempts)
            {
                unitOfWork.Reset();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not delete object {Key} of deleted video {VideoId}; remove it by hand")]
    private static partial void LogOrphan(ILogger logger, Exception exception, string key, Guid videoId);
}
