using Microsoft.Extensions.Logging;

namespace Anb.Infrastructure.Telemetry;

public static class JsonLogging
{
    /// <summary>
    /// The hosts' logs: one JSON object per line on standard output, UTC timestamps, and the trace and span ids of
    /// the current activity (the request, or the video's <c>process video</c> span) in its scopes.
    /// </summary>
    public static ILoggingBuilder AddJsonLines(this ILoggingBuilder logging)
    {
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return logging.ClearProviders().AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.IncludeScopes = true;
        });
    }
}
