using Anb.Application.Abstractions;
using Hangfire;

namespace Anb.Infrastructure.Queue;

/// <summary>Enqueues a <see cref="ProcessVideoJob"/> in Hangfire's PostgreSQL storage.</summary>
public sealed class HangfireVideoQueue(IBackgroundJobClient jobs) : IVideoQueue
{
    public Task EnqueueProcessingAsync(Guid videoId, CancellationToken cancellationToken)
    {
        jobs.Enqueue<ProcessVideoJob>(job => job.RunAsync(videoId, CancellationToken.None));
        return Task.CompletedTask;
    }
}
