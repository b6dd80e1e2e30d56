using System.Diagnostics.Metrics;
using Anb.Application.Common.Options;
using Anb.Application.Common.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Anb.Infrastructure.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// OpenTelemetry traces and metrics of a host named <paramref name="serviceName"/> (unless <c>OTEL_SERVICE_NAME</c>
    /// says otherwise): the platform's own source and meter (<see cref="AnbTelemetry"/>, <see cref="AnbMetrics"/>), PostgreSQL,
    /// HTTP clients and the runtime, plus what the host adds through <paramref name="tracing"/> and <paramref name="metrics"/>.
    /// Exported with OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and as <see cref="TelemetryOptions"/> say. With
    /// nothing configured nothing is registered, and nothing is paid.
    /// </summary>
    public static IServiceCollection AddTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string serviceName,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);

        // Whether to register at all is decided now, before the container's options exist.
        var settings = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration.Get<OtlpEnvironment>()?.Endpoint);
        if (!(otlp || settings.Enabled || settings.PrometheusPort > 0 || settings.ConsoleTraces))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName).AddEnvironmentVariableDetector())
            .WithTracing(builder =>
            {
                builder
                    .AddSource(AnbTelemetry.Name)
                    .AddNpgsql()
                    .AddHttpClientInstrumentation()
                    .AddProcessor(new RootClientSpanFilter());
                tracing?.Invoke(builder);
                if (settings.ConsoleTraces)
                {
                    builder.AddConsoleExporter();
                }

                if (otlp)
                {
                    builder.AddOtlpExporter();
                }
            })
            .WithMetrics(builder =>
            {
                builder
                    .AddMeter(AnbTelemetry.Name)
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                metrics?.Invoke(builder);
                if (settings.ExponentialHistograms)
                {
                    builder.AddView(instrument => IsHistogram(instrument) ? new Base2ExponentialBucketHistogramConfiguration() : null);
                }

                if (settings.PrometheusPort > 0)
                {
                    builder.AddPrometheusHttpListener(o =>
                    {
                        o.Host = "127.0.0.1";
                        o.Port = settings.PrometheusPort;
                    });
                }

                if (otlp)
                {
                    builder.AddOtlpExporter();
                }
            });
        return services;
    }

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);
}
