namespace Anb.DeploymentTests;

/// <summary>
/// What the hosts' OpenTelemetry set-up (issue 14, points 1-3) promises the deployment: the metrics of the
/// <c>Anb</c> meter with their attributes, and the setting that makes histograms base-2 exponential (what
/// CloudWatch needs for percentiles). One place, so a rename in the hosts is one edit here.
/// </summary>
internal static class TelemetryContract
{
    /// <summary>The environment variable (configuration key <c>Telemetry:ExponentialHistograms</c>) of the switch.</summary>
    public const string ExponentialHistogramsVariable = "Telemetry__ExponentialHistograms";

    public static readonly IReadOnlyList<Metric> Metrics =
    [
        new("anb.upload.accepted", Histogram: false, Attribute: null),
        new("anb.upload.refused", Histogram: false, Attribute: "anb.reason"),
        new("anb.upload.size", Histogram: true, Attribute: null),
        new("anb.upload.in_flight", Histogram: false, Attribute: null),
        new("anb.video.processed", Histogram: false, Attribute: null),
        new("anb.video.failed", Histogram: false, Attribute: "anb.reason"),
        new("anb.transcode.duration", Histogram: true, Attribute: null),
        new("anb.queue.wait", Histogram: true, Attribute: null),
        new("anb.video.attempts", Histogram: true, Attribute: null),
        new("anb.vote.cast", Histogram: false, Attribute: null),
        new("anb.rate_limit.rejected", Histogram: false, Attribute: "anb.policy"),
    ];

    public static Metric Named(string name) =>
        Metrics.SingleOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"the hosts have no metric {name}");

    /// <summary>One instrument of the <c>Anb</c> meter; <paramref name="Attribute"/> is the one it is broken down by.</summary>
    public sealed record Metric(string Name, bool Histogram, string? Attribute);
}
