namespace Anb.Application.Abstractions;

/// <summary>Hands a video to the workers (Hangfire locally, SQS on AWS).</summary>
public interface IVideoQueue
{
    Task EnqueueProcessingAsync(Guid videoId, CancellationToken cancellationToken);
}
