using System.Diagnostics;
using Amazon.SQS;
using Anb.Domain.Videos;
using Anb.IntegrationTests.Queue;
using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Aws;

/// <summary>
/// The SQS consumer in an in-process worker host (Queue:Provider=Sqs, Storage:Provider=S3) on moto and a
/// real PostgreSQL, with a stand-in transcoder: processing, retries, dead-lettering, crash and shutdown.
/// </summary>
[Collection(AwsCollection.Name)]
public sealed class SqsVideoQueueConsumerTests(MotoServerFixture moto) : IAsyncLifetime
{
    private AwsWorkerHarness harness = null!;

    public async Task InitializeAsync() => harness = await AwsWorkerHarness.CreateAsync(moto);

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Enqueue_UploadedVideo_IsProcessedAndItsMessageDeleted()
    {
        var queueUrl = await moto.CreateQueueAsync("e2e");
        var transcoder = new ScriptedTranscoder();
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder, waitTimeSeconds: 20);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);
        var sent = Stopwatch.StartNew();

        await AwsWorkerHarness.EnqueueAsync(worker, video.Id);

        var done = await AwsWorkerHarness.WaitForStatusAsync(worker, video.Id, VideoStatus.Processed);
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(10), $"A long poll should wake on the send; took {sent.Elapsed}.");
        Assert.Equal(1, done.Attempts);
        Assert.Equal(1, transcoder.Calls(video.Id));
        Assert.Equal([done.PosterKey!, done.ProcessedKey!], await harness.ListKeysAsync($"processed/{video.Id:N}")); // the poster beside the video
        await harness.WaitForQueueEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedAfterTheBackoffAndThenProcessed_AllInTheEnqueuersTrace()
    {
        using var traces = new RecordedTraces();
        var queueUrl = await moto.CreateQueueAsync("retry");
        var transcoder = new ScriptedTranscoder();
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);
        transcoder.FailTimes(video.Id, 1);

        using (RecordedTraces.StartTestTrace())
        {
            await AwsWorkerHarness.EnqueueAsync(worker, video.Id);
        }

        var done = await AwsWorkerHarness.WaitForStatusAsync(worker, video.Id, VideoStatus.Processed);
        Assert.Equal(2, done.Attempts);
        var calls = transcoder.CallTimes(video.Id);
        Assert.True(calls[1] - calls[0] >= TimeSpan.FromSeconds(0.9), $"Second attempt came {calls[1] - calls[0]} after the first; backoff is 1 s.");
        await harness.WaitForQueueEmptyAsync(queueUrl);
        QueueTraces.AssertDeliveriesInOneTrace(traces, video.Id, deliveries: 2);
    }

    [Fact]
    public async Task MalformedMessages_AreDeletedWithoutProcessing()
    {
        var queueUrl = await moto.CreateQueueAsync("malformed");
        var transcoder = new ScriptedTranscoder();
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);

        foreach (var body in new[] { "not json", "{\"video_id\":\"nope\"}", "{}", "null" })
        {
            await harness.Sqs.SendMessageAsync(queueUrl, body);
        }

        await AwsWorkerHarness.EnqueueAsync(worker, video.Id);

        await AwsWorkerHarness.WaitForStatusAsync(worker, video.Id, VideoStatus.Processed);
        await harness.WaitForQueueEmptyAsync(queueUrl);
        Assert.Equal(1, transcoder.Calls(video.Id));
    }

    [Fact]
    public async Task AtMostMaxConcurrencyVideosAreInFlight()
    {
        var queueUrl = await moto.CreateQueueAsync("concurrency");
        var transcoder = new GatedTranscoder();
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder);
        var videos = new List<Video>();
        for (var i = 0; i < 4; i++)
        {
            videos.Add(await AwsWorkerHarness.SeedUploadedVideoAsync(worker));
            await AwsWorkerHarness.EnqueueAsync(worker, videos[^1].Id);
        }

        await AwsWorkerHarness.WaitUntilAsync(() => transcoder.Started == 2, "two videos to start");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, transcoder.Started);
        transcoder.Open();

        foreach (var video in videos)
        {
            await AwsWorkerHarness.WaitForStatusAsync(worker, video.Id, VideoStatus.Processed);
        }

        Assert.Equal(2, transcoder.MaxRunning);
        await harness.WaitForQueueEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task PersistentFailure_MarksVideoFailedAndMovesItsMessageToTheDeadLetterQueue()
    {
        var deadLetterUrl = await moto.CreateQueueAsync("dlq");
        var deadLetterArn = (await harness.Sqs.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"])).QueueARN;
        var queueUrl = await moto.CreateQueueAsync("redrive", new Dictionary<string, string>
        {
            ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{deadLetterArn}\",\"maxReceiveCount\":\"{AwsWorkerHarness.MaxReceiveCount}\"}}",
        });
        var transcoder = new ScriptedTranscoder();
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);
        transcoder.FailTimes(video.Id, int.MaxValue);

        await AwsWorkerHarness.EnqueueAsync(worker, video.Id);

        var failed = await AwsWorkerHarness.WaitForStatusAsync(worker, video.Id, VideoStatus.Failed);
        Assert.Equal(3, failed.Attempts);
        Assert.Equal("No se pudo procesar el video: scripted failure", failed.FailureReason);
        var deadLetter = await harness.ReceiveOneAsync(deadLetterUrl, TimeSpan.FromSeconds(15));
        Assert.Contains(video.Id.ToString(), deadLetter.Body, StringComparison.Ordinal);
        await harness.WaitForQueueEmptyAsync(queueUrl);
        Assert.Equal(3, transcoder.Calls(video.Id));
        Assert.Empty(await harness.ListKeysAsync($"processed/{video.Id:N}"));
    }

    [Fact]
    public async Task WorkerLosesTheQueueMidTask_MessageReturnsAfterTheVisibilityTimeoutAndIsProcessedOnce()
    {
        const int visibilitySeconds = 6;
        var queueUrl = await moto.CreateQueueAsync("crash");
        var network = new SeverableHttpClientFactory();
        using var doomedClient = new AmazonSQSClient(new AmazonSQSConfig
        {
            ServiceURL = moto.EndpointUrl,
            AuthenticationRegion = MotoServerFixture.Region,
            HttpClientFactory = network,
        });
        var stuck = new GatedTranscoder();
        var doomed = await harness.StartWorkerAsync(queueUrl, stuck, visibilitySeconds, shutdownTimeout: TimeSpan.FromSeconds(1), sqsClient: doomedClient);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(doomed);
        await AwsWorkerHarness.EnqueueAsync(doomed, video.Id);
        await stuck.FirstStarted.WaitAsync(TimeSpan.FromSeconds(20));

        // The heartbeat keeps the message hidden well past its visibility timeout.
        await Task.Delay(TimeSpan.FromSeconds(visibilitySeconds + 1.5));
        Assert.Equal((0, 1), await harness.QueueCountsAsync(queueUrl));

        // The worker loses the queue, as if its machine had died: no more heartbeats, no release, no delete.
        network.Sever();
        var severedAt = DateTime.UtcNow;
        await doomed.StopAsync();
        Assert.Equal((0, 1), await harness.QueueCountsAsync(queueUrl));
        Assert.Equal(VideoStatus.Processing, (await AwsWorkerHarness.FindVideoAsync(doomed, video.Id)).Status);

        var survivor = new ScriptedTranscoder();
        var rescuer = await harness.StartWorkerAsync(queueUrl, survivor, visibilitySeconds);
        var done = await AwsWorkerHarness.WaitForStatusAsync(rescuer, video.Id, VideoStatus.Processed);

        var returnedAfter = survivor.CallTimes(video.Id)[0] - severedAt;
        Assert.True(returnedAfter > TimeSpan.FromSeconds((visibilitySeconds * 2 / 3) - 0.5), $"The message came back {returnedAfter} after the worker was cut off.");
        Assert.Equal(1, survivor.Calls(video.Id));
        Assert.Equal(2, done.Attempts);
        Assert.Equal([done.PosterKey!, done.ProcessedKey!], await harness.ListKeysAsync($"processed/{video.Id:N}")); // the poster beside the video
        await harness.WaitForQueueEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task Stop_WithAVideoThatCannotFinish_ReleasesItsMessageAndExitsWithinTheTimeout()
    {
        var queueUrl = await moto.CreateQueueAsync("release");
        var transcoder = new GatedTranscoder();
        var shutdownTimeout = TimeSpan.FromSeconds(4);
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder, visibilitySeconds: 120, shutdownTimeout: shutdownTimeout);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);
        await AwsWorkerHarness.EnqueueAsync(worker, video.Id);
        await transcoder.FirstStarted.WaitAsync(TimeSpan.FromSeconds(20));

        var stopping = Stopwatch.StartNew();
        await worker.StopAsync();
        var stoppedAfter = stopping.Elapsed;

        Assert.True(stoppedAfter < shutdownTimeout, $"Stopping took {stoppedAfter}; the timeout is {shutdownTimeout}.");
        Assert.Equal(1, transcoder.Cancelled);
        var released = await harness.ReceiveOneAsync(queueUrl, TimeSpan.FromSeconds(2));
        Assert.Equal("2", released.Attributes["ApproximateReceiveCount"]);
        Assert.Contains(video.Id.ToString(), released.Body, StringComparison.Ordinal);
        var interrupted = await AwsWorkerHarness.FindVideoAsync(worker, video.Id);
        Assert.Equal(VideoStatus.Processing, interrupted.Status);
        Assert.Equal(1, interrupted.Attempts);
    }

    [Fact]
    public async Task Stop_WithAVideoFinishingInTime_CompletesItAndReceivesNoMore()
    {
        var queueUrl = await moto.CreateQueueAsync("drain");
        var transcoder = new GatedTranscoder();
        var worker = await harness.StartWorkerAsync(queueUrl, transcoder, shutdownTimeout: TimeSpan.FromSeconds(20));
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);
        var later = await AwsWorkerHarness.SeedUploadedVideoAsync(worker);
        await AwsWorkerHarness.EnqueueAsync(worker, video.Id);
        await transcoder.FirstStarted.WaitAsync(TimeSpan.FromSeconds(20));

        var stop = worker.StopAsync();
        await Task.Delay(500);
        Assert.False(stop.IsCompleted, "The host stopped while a video was still in flight.");
        await AwsWorkerHarness.EnqueueAsync(worker, later.Id);
        transcoder.Open();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(VideoStatus.Processed, (await AwsWorkerHarness.FindVideoAsync(worker, video.Id)).Status);
        Assert.Equal(VideoStatus.Uploaded, (await AwsWorkerHarness.FindVideoAsync(worker, later.Id)).Status);
        Assert.Equal(1, transcoder.Started);
        Assert.Equal((1, 0), await harness.QueueCountsAsync(queueUrl));
    }
}
