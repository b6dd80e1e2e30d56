using Anb.Application;
using Anb.Application.Common.Options;
using Anb.Infrastructure;
using Anb.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace Anb.WorkerHost;

internal static class WorkerHostRegistration
{
    /// <summary>The host's name in traces and metrics unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "anb-worker";

    /// <summary>Everything the worker host runs: the Application, the shared and worker-only adapters, telemetry, the stale-video and orphaned-originals sweeps.</summary>
    public static IServiceCollection AddWorkerHost(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddApplication()
            .AddInfrastructure(configuration)
            .AddWorkerInfrastructure(configuration)
            .AddTelemetry(configuration, ServiceName)
            .AddHostedService<StaleVideoRecoveryService>()
            .AddHostedService<OrphanedOriginalsSweepService>();
        services.AddValidatedOptions<WorkerOptions>(WorkerOptions.SectionName);
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(worker.Value.ShutdownTimeoutSeconds));
        return services;
    }
}
