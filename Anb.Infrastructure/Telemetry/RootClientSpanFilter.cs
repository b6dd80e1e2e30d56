using System.Diagnostics;
using OpenTelemetry;

namespace Anb.Infrastructure.Telemetry;

/// <summary>
/// Leaves unrecorded the client spans (database queries, HTTP calls) that belong to no request, task or upload:
/// the queues' polling (Hangfire's queries, SQS's long polls) and timers would otherwise be a trace each.
/// </summary>
internal sealed class RootClientSpanFilter : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.Kind == ActivityKind.Client && data.ParentSpanId == default)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }
}
