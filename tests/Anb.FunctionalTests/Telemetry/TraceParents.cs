using System.Diagnostics;

namespace Anb.FunctionalTests.Telemetry;

/// <summary>W3C trace contexts a test sends, so it knows the trace id the platform must carry on.</summary>
public static class TraceParents
{
    public const string Header = "traceparent";

    /// <summary>A new sampled trace: its id and the <c>traceparent</c> header that starts it.</summary>
    public static (ActivityTraceId TraceId, string Header) New()
    {
        var traceId = ActivityTraceId.CreateRandom();
        return (traceId, $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
    }

    /// <summary>The JSON log lines of a host's output that carry <paramref name="traceId"/> in their scopes.</summary>
    public static List<string> LinesWith(string output, ActivityTraceId traceId) =>
        output.Split('\n').Where(l => l.Contains($"\"TraceId\":\"{traceId}\"", StringComparison.Ordinal)).ToList();
}
