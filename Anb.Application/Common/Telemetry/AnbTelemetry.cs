using System.Diagnostics;
using Anb.Application.Videos.ProcessVideo;

namespace Anb.Application.Common.Telemetry;

/// <summary>
/// The platform's own traces: the <c>Anb</c> activity source and the W3C trace context (<c>traceparent</c>,
/// <c>tracestate</c>) a processing task carries from the upload to the worker.
/// </summary>
public static class AnbTelemetry
{
    /// <summary>The name of the activity source and of the meter (<see cref="AnbMetrics"/>).</summary>
    public const string Name = "Anb";

    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    public const string VideoIdAttribute = "anb.video.id";
    public const string DeliveryAttribute = "anb.delivery";
    public const string OutcomeAttribute = "anb.outcome";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The W3C trace context of the current activity; nulls when there is none.</summary>
    public static (string? TraceParent, string? TraceState) CurrentContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);

    /// <summary>The producer span of handing a video to the queue (<paramref name="system"/>: <c>hangfire</c>, <c>aws_sqs</c>).</summary>
    public static Activity? StartSend(Guid videoId, string system) =>
        Source.StartActivity("send video task", ActivityKind.Producer)
            ?.SetTag("messaging.system", system)
            .SetTag("messaging.operation.type", "send")
            .SetTag(VideoIdAttribute, videoId);

    /// <summary>
    /// The consumer span of one delivery of a processing task, a child of the context the task carries (the
    /// upload's), so every delivery and retry of a video belongs to its upload's trace. When nothing records
    /// traces it is still started, unrecorded, so the worker's log lines carry the upload's trace id.
    /// </summary>
    public static Activity StartProcessing(Guid videoId, string? traceParent, string? traceState, string system, int delivery)
    {
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        var activity = Source.StartActivity("process video", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            activity = new Activity("process video");
            if (parent != default)
            {
                activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
                activity.TraceStateString = parent.TraceState;
            }

            activity.Start();
        }

        return activity
            .SetTag("messaging.system", system)
            .SetTag("messaging.operation.type", "process")
            .SetTag(VideoIdAttribute, videoId)
            .SetTag(DeliveryAttribute, delivery);
    }

    /// <summary>Tags a <c>process video</c> span with how the delivery ended.</summary>
    public static void SetOutcome(Activity activity, ProcessVideoOutcome outcome) =>
        activity.SetTag(OutcomeAttribute, outcome switch
        {
            ProcessVideoOutcome.Processed => "processed",
            ProcessVideoOutcome.Skipped => "skipped",
            _ => "failed",
        });

    /// <summary>Marks a span as failed by <paramref name="exception"/> (its type only: messages may carry paths).</summary>
    public static void SetError(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);

    /// <summary>Runs one step of processing in a child span of its own, marked as an error when the step throws.</summary>
    public static async Task StepAsync(string name, Func<Task> step)
    {
        using var activity = Source.StartActivity(name);
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            SetError(activity, ex);
            throw;
        }
    }
}
