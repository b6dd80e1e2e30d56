using Microsoft.Extensions.Configuration;

namespace Anb.Infrastructure.Telemetry;

/// <summary>The one standard OpenTelemetry variable the hosts read themselves: whether OTLP export is configured at all.</summary>
internal sealed class OtlpEnvironment
{
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? Endpoint { get; set; }
}
