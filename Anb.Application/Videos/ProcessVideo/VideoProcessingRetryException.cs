namespace Anb.Application.Videos.ProcessVideo;

/// <summary>An attempt failed and attempts remain: the queue adapter should redeliver the task later.</summary>
public sealed class VideoProcessingRetryException(Guid videoId, Exception innerException)
    : Exception($"Processing of video {videoId} failed; it will be retried.", innerException)
{
    public Guid VideoId { get; } = videoId;
}
