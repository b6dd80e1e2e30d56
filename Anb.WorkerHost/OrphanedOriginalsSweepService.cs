using Anb.Application.Videos.DeleteOrphanedOriginals;
using Mediator;
using Microsoft.Extensions.Options;

namespace Anb.WorkerHost;

/// <summary>
/// Every <c>OrphanSweepIntervalSeconds</c>, deletes a bounded page of originals without a row, going on from where
/// the previous run stopped and starting over once it reaches the end (every worker sweeps; deletes are idempotent).
/// </summary>
internal sealed class OrphanedOriginalsSweepService(
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    ILogger<OrphanedOriginalsSweepService> logger) : PeriodicSweepService(scopes, logger)
{
    private string? resumeAfter;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.OrphanSweepIntervalSeconds);

    protected override async ValueTask RunOnceAsync(IMediator mediator, CancellationToken cancellationToken) =>
        resumeAfter = (await mediator.Send(new DeleteOrphanedOriginalsCommand(resumeAfter), cancellationToken)).ResumeAfter;
}
