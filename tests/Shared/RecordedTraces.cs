using System.Collections.Concurrent;
using System.Diagnostics;

namespace Anb.Tests.Shared;

/// <summary>
/// Records every finished activity of the <c>Anb</c> source in this process (a plain <see cref="ActivityListener"/>,
/// no OpenTelemetry), and starts a trace of the test's own.
/// </summary>
public sealed class RecordedTraces : IDisposable
{
    private readonly ConcurrentQueue<Activity> finished = new();
    private readonly ActivityListener listener;

    public RecordedTraces()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Anb",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = finished.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>Starts the test's own root activity (the current one until disposed): what it enqueues carries its trace.</summary>
    public static Activity StartTestTrace() =>
        new Activity("test").SetIdFormat(ActivityIdFormat.W3C).SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();

    /// <summary>The finished spans named <paramref name="name"/>, in the order they ended.</summary>
    public IReadOnlyList<Activity> All(string name) => finished.Where(a => a.DisplayName == name).ToList();

    public void Dispose() => listener.Dispose();
}
