using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry in a host (section <c>Telemetry</c>). The OTLP exporter is configured by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and <c>OTEL_SERVICE_NAME</c> variables;
/// with none of these and none of the settings below, OpenTelemetry is not registered at all.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Collect traces and metrics even with no exporter configured here (a test adds its own exporter).</summary>
    public bool Enabled { get; set; }

    /// <summary>Histograms as base-2 exponential histograms instead of explicit buckets (for percentiles in CloudWatch through ADOT's awsemf).</summary>
    public bool ExponentialHistograms { get; set; }

    /// <summary>When not 0, metrics are served for Prometheus on <c>http://127.0.0.1:{port}/metrics</c> (loopback only).</summary>
    [Range(0, 65535)]
    public int PrometheusPort { get; set; }

    /// <summary>Write every finished span to standard output (for a look at traces without a collector).</summary>
    public bool ConsoleTraces { get; set; }
}
