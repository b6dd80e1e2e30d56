using Anb.Application.Videos.ProcessVideo;
using Mediator;

namespace Anb.Infrastructure.Queue;

/// <summary>The Hangfire job: one processing task, sent to the application as a command.</summary>
public sealed class ProcessVideoJob(IMediator mediator)
{
    /// <remarks>Hangfire passes its shutdown token for <paramref name="cancellationToken"/>.</remarks>
    public async Task RunAsync(Guid videoId, CancellationToken cancellationToken) =>
        await mediator.Send(new ProcessVideoCommand(videoId), cancellationToken);
}
