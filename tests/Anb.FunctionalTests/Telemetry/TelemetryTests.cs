using System.Diagnostics;
using System.Net;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Telemetry;

/// <summary>
/// One trace per video and the metrics of <c>Anb</c>, seen through the in-memory exporters of the API and of an
/// in-process worker that transcodes with FFmpeg: on Hangfire (PostgreSQL) here, on SQS (moto) in <see cref="SqsTelemetryTests"/>.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryTests.Stack stack) : IClassFixture<TelemetryTests.Stack>
{
    public sealed class Stack : TelemetryStack;

    [Fact]
    public async Task Upload_OnHangfire_IsOneTraceFromTheRequestToProcessed_AndCountsOnce() =>
        await UploadIsOneTraceAsync(stack, "hangfire");

    [Fact]
    public async Task RefusedUploads_CountByReason_AndLeaveNothingInFlight()
    {
        var api = stack.Services;
        var metrics = stack.ApiTelemetry;
        string[] reasons = ["resolution", "not_mp4", "invalid", "duration", "rate_limited"];
        var before = reasons.ToDictionary(r => r, r => metrics.Value(api, "anb.upload.refused", "anb.reason", r));
        var acceptedBefore = metrics.Value(api, "anb.upload.accepted");
        var rejectedBefore = metrics.Value(api, "anb.rate_limit.rejected", "anb.policy", "upload");
        var (lowResolution, webM, clip, tooShort) = (
            await VideoFixtures.Mp4Async(1280, 720, 22), await VideoFixtures.WebMAsync(1920, 1080, 22),
            await VideoFixtures.Mp4Async(1920, 1080, 22), await VideoFixtures.Mp4Async(1920, 1080, 10));
        var (client, _) = await stack.CreateClient().SignUpAndLogInAsync(stack.CreateClient);
        var (other, _) = await stack.CreateClient().SignUpAndLogInAsync(stack.CreateClient);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.UploadAsync(lowResolution)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.UploadAsync(webM)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.UploadAsync(clip, title: null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.UploadAsync(tooShort)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.UploadAsync(null)).StatusCode); // its 4th within the hour

        Assert.Equal(
            reasons.ToDictionary(r => r, r => before[r] + 1),
            reasons.ToDictionary(r => r, r => metrics.Value(api, "anb.upload.refused", "anb.reason", r)));
        Assert.Equal(rejectedBefore + 1, metrics.Value(api, "anb.rate_limit.rejected", "anb.policy", "upload"));
        Assert.Equal(acceptedBefore, metrics.Value(api, "anb.upload.accepted"));
        Assert.Equal(0, metrics.Value(api, "anb.upload.in_flight"));
    }

    /// <summary>
    /// Uploads a clip under a trace the test starts, waits for the worker, and checks the trace (request, send, process
    /// video and its steps) and the metrics both hosts count for it; a second player then votes for it.
    /// </summary>
    internal static async Task UploadIsOneTraceAsync(TelemetryStack stack, string messagingSystem)
    {
        var (api, worker) = (stack.Services, stack.Worker.Services);
        var (apiMetrics, workerMetrics) = (stack.ApiTelemetry, stack.WorkerTelemetry);
        string[] workerCounts = ["anb.video.processed", "anb.transcode.duration", "anb.queue.wait", "anb.video.attempts"];
        var workerBefore = workerCounts.ToDictionary(n => n, n => workerMetrics.Value(worker, n));
        var acceptedBefore = apiMetrics.Value(api, "anb.upload.accepted");
        var (sizesBefore, bytesBefore) = (apiMetrics.Value(api, "anb.upload.size"), apiMetrics.Sum(api, "anb.upload.size"));
        var votesBefore = apiMetrics.Value(api, "anb.vote.cast");

        var (client, _) = await stack.CreateClient().SignUpAndLogInAsync(stack.CreateClient);
        var (traceId, traceParent) = TraceParents.New();
        client.DefaultRequestHeaders.Add(TraceParents.Header, traceParent);
        var file = await VideoFixtures.Mp4Async(1920, 1080, 22);
        var upload = await client.UploadAsync(file);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, $"{upload.StatusCode}\n{stack.Logs}");
        var id = Guid.Parse((string)(await upload.ReadObjectAsync())["task_id"]!);
        await stack.Worker.WaitForVideoStatusAsync(id, VideoStatus.Processed, seconds: 180);
        var workerSpans = await SpansAsync(stack.WorkerTelemetry, traceId, "process video");

        var apiSpans = stack.ApiTelemetry.Spans.Where(s => s.TraceId == traceId).ToList();
        var request = Assert.Single(apiSpans, s => s.Kind == ActivityKind.Server);
        Assert.Equal("/api/videos/upload", request.GetTagItem("url.path"));
        var send = Assert.Single(apiSpans, s => s.DisplayName == "send video task");
        Assert.Equal((ActivityKind.Producer, messagingSystem), (send.Kind, send.GetTagItem("messaging.system")));
        Assert.Contains(apiSpans, s => s.Source.Name == "Npgsql" && s.ParentSpanId != default); // the row's insert, inside the request
        var process = Assert.Single(workerSpans, s => s.DisplayName == "process video");
        Assert.Equal((ActivityKind.Consumer, send.SpanId, ActivityStatusCode.Unset), (process.Kind, process.ParentSpanId, process.Status));
        Assert.Equal(id, process.GetTagItem("anb.video.id"));
        Assert.Equal("processed", process.GetTagItem("anb.outcome"));
        foreach (var step in new[] { "download", "transcode", "store", "mark processed" })
        {
            Assert.Single(workerSpans, s => s.DisplayName == step && s.ParentSpanId == process.SpanId);
        }

        Assert.Equal(acceptedBefore + 1, apiMetrics.Value(api, "anb.upload.accepted"));
        Assert.Equal((sizesBefore + 1, bytesBefore + new FileInfo(file).Length), (apiMetrics.Value(api, "anb.upload.size"), apiMetrics.Sum(api, "anb.upload.size")));
        Assert.Equal(0, apiMetrics.Value(api, "anb.upload.in_flight"));
        Assert.Equal(
            workerCounts.ToDictionary(n => n, n => workerBefore[n] + 1),
            workerCounts.ToDictionary(n => n, n => workerMetrics.Value(worker, n)));

        var (fan, _) = await stack.CreateClient().SignUpAndLogInAsync(stack.CreateClient);
        Assert.Equal(HttpStatusCode.OK, (await fan.PostAsync($"/api/public/videos/{id}/vote", null)).StatusCode);
        Assert.Equal(votesBefore + 1, apiMetrics.Value(api, "anb.vote.cast"));
    }

    /// <summary>The spans of <paramref name="traceId"/>, once one named <paramref name="last"/> has ended (within 10 s).</summary>
    private static async Task<List<Activity>> SpansAsync(InMemoryTelemetry telemetry, ActivityTraceId traceId, string last)
    {
        for (var i = 0; i < 100; i++)
        {
            var spans = telemetry.Spans.Where(s => s.TraceId == traceId).ToList();
            if (spans.Any(s => s.DisplayName == last))
            {
                return spans;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"No '{last}' span of trace {traceId}: {string.Join(", ", telemetry.Spans.Select(s => $"{s.DisplayName} {s.TraceId}"))}");
        return [];
    }
}
