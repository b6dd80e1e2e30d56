using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Anb.Application.Common.Telemetry;

namespace Anb.UnitTests.TestData;

/// <summary>An <see cref="AnbMetrics"/> of its own meter factory, with every measurement it makes recorded.</summary>
internal sealed class RecordedMetrics : IDisposable
{
    private readonly OwnMeterFactory factory = new();
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string? Reason)> measurements = new();

    public RecordedMetrics()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        listener.Start();
        Metrics = new AnbMetrics(factory);
    }

    public AnbMetrics Metrics { get; }

    /// <summary>The values recorded on <paramref name="instrument"/>, with their <c>anb.reason</c>.</summary>
    public IReadOnlyList<(double Value, string? Reason)> Of(string instrument) =>
        measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Reason)).ToList();

    public void Dispose()
    {
        listener.Dispose();
        factory.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? reason = null;
        foreach (var tag in tags)
        {
            if (tag.Key == AnbMetrics.ReasonAttribute)
            {
                reason = tag.Value as string;
            }
        }

        measurements.Enqueue((instrument.Name, value, reason));
    }

    private sealed class OwnMeterFactory : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            meters.Add(meter);
            return meter;
        }

        public void Dispose() => meters.ForEach(m => m.Dispose());
    }
}
