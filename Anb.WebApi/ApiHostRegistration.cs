using Anb.Application;
using Anb.Infrastructure;
using Anb.Infrastructure.Telemetry;
using Anb.WebApi.Endpoints;
using Anb.WebApi.Infrastructure;
using Anb.WebApi.OpenApi;
using Anb.WebApi.Security;
using Anb.WebApi.Web;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Anb.WebApi;

internal static class ApiHostRegistration
{
    /// <summary>The host's name in traces and metrics unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "anb-api";

    /// <summary>Everything the API host runs: the Application, the shared and API-only adapters, the HTTP layer and its OpenAPI document, the web page, telemetry.</summary>
    public static IServiceCollection AddApiHost(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddApplication()
            .AddInfrastructure(configuration)
            .AddApiInfrastructure()
            .AddTelemetry(
                configuration,
                ServiceName,
                tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !HealthEndpoints.IsHealthCheck(context.Request)),
                metrics => metrics.AddAspNetCoreInstrumentation())
            .AddWebApi()
            .AddApiRateLimits()
            .AddApiDocumentation()
            .AddWebPage();
}
