using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Anb.WebApi.Endpoints;

internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>A load balancer's or orchestrator's probe (not traced: one every few seconds per target).</summary>
    public static bool IsHealthCheck(HttpRequest request) => request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Liveness).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadiness,
        });
        return app;
    }

    private static Ok<HealthStatus> Liveness() => TypedResults.Ok(new HealthStatus("healthy"));

    private static Task WriteReadiness(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new Readiness(
            report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy ? "healthy" : "unhealthy",
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant())));

    internal sealed record HealthStatus(string Status);

    /// <param name="Checks">Each dependency (<c>database</c>, <c>storage</c>) and its state.</param>
    internal sealed record Readiness(string Status, Dictionary<string, string> Checks);
}
