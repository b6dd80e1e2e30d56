using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Anb.FunctionalTests.Telemetry;

/// <summary>The spans and metrics one host exports, kept in memory by OpenTelemetry's in-memory exporter.</summary>
public sealed class InMemoryTelemetry
{
    private readonly Locked<Activity> spans = new();
    private readonly Locked<MetricSnapshot> metrics = new();

    /// <summary>Adds the in-memory exporters to the host's own OpenTelemetry registration.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(spans));
        services.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(metrics));
    }

    public IReadOnlyList<Activity> Spans => spans.Snapshot();

    /// <summary>
    /// Now (after a flush of <paramref name="services"/>' meter provider): a counter's total, or a histogram's count, over
    /// the points whose <paramref name="attribute"/> is <paramref name="value"/> (all points without an attribute).
    /// </summary>
    public double Value(IServiceProvider services, string name, string? attribute = null, string? value = null) =>
        Points(services, name, attribute, value).Sum(p => p.Metric.MetricType switch
        {
            MetricType.LongSum or MetricType.LongSumNonMonotonic => p.Point.GetSumLong(),
            MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => p.Point.GetSumDouble(),
            _ => p.Point.GetHistogramCount(),
        });

    /// <summary>A histogram's sum now.</summary>
    public double Sum(IServiceProvider services, string name) => Points(services, name, null, null).Sum(p => p.Point.GetHistogramSum());

    private IEnumerable<(MetricSnapshot Metric, MetricPoint Point)> Points(IServiceProvider services, string name, string? attribute, string? value)
    {
        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(), "The metrics were not flushed.");
        var latest = metrics.Snapshot().LastOrDefault(m => m.Name == name);
        if (latest is null)
        {
            return [];
        }

        return latest.MetricPoints
            .Where(p => attribute is null || HasTag(p, attribute, value))
            .Select(p => (latest, p))
            .ToList();
    }

    private static bool HasTag(MetricPoint point, string attribute, string? value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == attribute && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A collection the exporters add to while a test reads it.</summary>
    private sealed class Locked<T> : ICollection<T>
    {
        private readonly List<T> items = [];

        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }

        public void Add(T item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public void Clear()
        {
            lock (items)
            {
                items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (items)
            {
                return items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
