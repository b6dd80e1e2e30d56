using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Videos.Common;
using Anb.Domain.Videos;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>
/// Checks the file from its bytes, then stores it, records it and enqueues it. A failing step undoes the
/// earlier ones, so there is never an object without a row, a row without an object or a task without a row.
/// </summary>
public sealed partial class UploadVideoHandler(
    IVideoProbe probe,
    IObjectStorage storage,
    IVideoRepository videos,
    IUnitOfWork unitOfWork,
    IVideoQueue queue,
    IOptions<UploadOptions> options,
    TimeProvider timeProvider,
    ILogger<UploadVideoHandler> logger) : ICommandHandler<UploadVideoCommand, UploadVideoResponse>
{
    public async ValueTask<UploadVideoResponse> Handle(UploadVideoCommand command, CancellationToken cancellationToken)
    {
        await EnsureAcceptableAsync(command.FilePath!, cancellationToken);

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
            throw new ServiceUnavailableException(UploadMessages.StorageUnavailable, ex);
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
            throw new ServiceUnavailableException(UploadMessages.StorageUnavailable, ex);
        }

        return new UploadVideoResponse(UploadVideoResponse.AcceptedMessage, videoId);
    }

    private async Task EnsureAcceptableAsync(string path, CancellationToken cancellationToken)
    {
        var rules = options.Value;
        var info = await probe.ProbeAsync(path, cancellationToken);
        if (info is not { IsMp4: true } || info.Width <= 0 || info.Height <= 0)
        {
            throw new RequestValidationException(UploadMessages.NotMp4);
        }

        if (info.Duration < TimeSpan.FromSeconds(rules.MinDurationSeconds) ||
            info.Duration > TimeSpan.FromSeconds(rules.MaxDurationSeconds))
        {
            throw new RequestValidationException(UploadMessages.Duration(rules.MinDurationSeconds, rules.MaxDurationSeconds));
        }

        if (Math.Min(info.Width, info.Height) < rules.MinShortSide)
        {
            throw new RequestValidationException(UploadMessages.Resolution(rules.MinShortSide));
        }
    }

    private static async Task Guard(Func<Task> storageCall)
    {
        try
        {
            await storageCall();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ServiceUnavailableException(UploadMessages.StorageUnavailable, ex);
        }
    }

    /// <summary>Removes what an interrupted upload left: the row (when saved) and the stored object.</summary>
    private async Task UndoAsync(Video video, bool rowSaved, Exception cause)
    {
        LogUndo(logger, cause, video.Id);
        try
        {
            if (rowSaved)
            {
                videos.Remove(video);
                await unitOfWork.SaveChangesAsync(CancellationToken.None);
            }
        }
        finally
        {
            await storage.DeleteAsync(video.OriginalKey, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of video {VideoId} interrupted; undoing its stored parts")]
    private static partial void LogUndo(ILogger logger, Exception exception, Guid videoId);
}
