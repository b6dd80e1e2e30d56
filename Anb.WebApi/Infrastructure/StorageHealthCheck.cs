using Anb.Application.Abstractions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Anb.WebApi.Infrastructure;

internal sealed class StorageHealthCheck(IObjectStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await storage.IsReachableAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("storage unreachable");
}
