using System.Diagnostics;
using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Queue;

/// <summary>What a queue adapter's spans must show for a video enqueued once and delivered several times.</summary>
internal static class QueueTraces
{
    /// <summary>
    /// One <c>send video task</c> span for <paramref name="videoId"/>, and <paramref name="deliveries"/> <c>process video</c>
    /// spans, all children of it in its trace: failed ones first, the last one processed.
    /// </summary>
    public static void AssertDeliveriesInOneTrace(RecordedTraces traces, Guid videoId, int deliveries)
    {
        var send = Assert.Single(Spans(traces, "send video task", videoId));
        var processing = Spans(traces, "process video", videoId).Where(s => s.TraceId == send.TraceId).ToList();
        Assert.Equal(Enumerable.Range(1, deliveries), processing.Select(s => (int)s.GetTagItem("anb.delivery")!));
        Assert.All(processing, s => Assert.Equal((ActivityKind.Consumer, send.SpanId), (s.Kind, s.ParentSpanId)));
        Assert.All(processing[..^1], s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        Assert.Equal("processed", processing[^1].GetTagItem("anb.outcome"));
    }

    private static List<Activity> Spans(RecordedTraces traces, string name, Guid videoId) =>
        traces.All(name).Where(s => s.GetTagItem("anb.video.id") is Guid id && id == videoId).ToList();
}
