using System.Net;
using Anb.FunctionalTests.Infrastructure;
using Anb.FunctionalTests.Telemetry;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Videos;

/// <summary>
/// The API and the real worker process on the AWS adapters (S3 and SQS on moto_server), switched by
/// configuration alone: an upload is stored in S3, queued in SQS, transcoded and served by a presigned link.
/// </summary>
public sealed class AwsEndToEndTests(AwsEndToEndTests.Factory factory) : IClassFixture<AwsEndToEndTests.Factory>, IAsyncLifetime
{
    private WorkerProcess? worker;

    public sealed class Factory : AnbApiFactory
    {
        public MotoServerFixture Moto { get; } = new();

        public string Bucket { get; private set; } = string.Empty;

        public string QueueUrl { get; private set; } = string.Empty;

        public override async Task InitializeAsync()
        {
            await Moto.InitializeAsync();
            Bucket = await Moto.CreateBucketAsync("e2e");
            QueueUrl = await Moto.CreateQueueAsync("e2e");
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Moto.DisposeAsync();
        }

        /// <summary>The same settings for the API and (as environment variables) for the worker.</summary>
        public Dictionary<string, string?> AwsSettings() => Moto.AdapterSettings(Bucket, QueueUrl);

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => AwsSettings();
    }

    public Task InitializeAsync()
    {
        var environment = factory.AwsSettings().ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value);
        environment["ConnectionStrings__Database"] = factory.Database.ConnectionString;
        environment["Transcoder__Preset"] = "ultrafast";
        worker = WorkerProcess.Start(environment);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (worker is not null)
        {
            await worker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Upload_OnS3AndSqs_IsProcessedAndServedByPresignedLink()
    {
        var (client, _) = await factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);
        var (traceId, traceParent) = TraceParents.New();
        client.DefaultRequestHeaders.Add(TraceParents.Header, traceParent);
        var upload = await client.UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, 22));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (string)(await upload.ReadObjectAsync())["task_id"]!;

        var deadline = DateTime.UtcNow.AddMinutes(3);
        System.Text.Json.Nodes.JsonObject detail;
        while (true)
        {
            detail = await (await client.GetAsync($"/api/videos/{id}")).ReadObjectAsync();
            if ((string?)detail["status"] == "processed")
            {
                break;
            }

            Assert.True((string?)detail["status"] != "failed", $"failed: {detail["failure_reason"]}\n{worker?.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"still {(string?)detail["status"]}\n{worker?.Output}");
            await Task.Delay(250);
        }

        var link = new Uri((string)detail["processed_url"]!);
        Assert.StartsWith(factory.Moto.EndpointUrl, link.ToString(), StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", link.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        var result = VideoFixtures.NewScratchPath();
        await File.WriteAllBytesAsync(result, await http.GetByteArrayAsync(link));
        var info = await VideoFixtures.ProbeAsync(result);
        Assert.Equal(("h264", 1280, 720, false), (info.Codec, info.Width, info.Height, info.HasAudio));
        Assert.InRange(info.Duration.TotalSeconds, 26.5, 27.5);
        using var sqs = factory.Moto.CreateSqsClient();
        var attributes = await sqs.GetQueueAttributesAsync(factory.QueueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal(0, attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);

        // The upload's trace travelled in the message: the worker's log lines about the video carry its id (telemetry off).
        Assert.Contains(TraceParents.LinesWith(worker!.Output, traceId), l => l.Contains($"Video {id} processed", StringComparison.Ordinal));
    }
}
