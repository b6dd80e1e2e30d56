using System.Globalization;
using System.Net;
using Anb.FunctionalTests.Infrastructure;
using Anb.FunctionalTests.Telemetry;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Videos;

/// <summary>The API and the real worker process with FFmpeg: an upload becomes the ANB version.</summary>
public sealed class EndToEndTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>, IAsyncLifetime
{
    private WorkerProcess? worker;

    public Task InitializeAsync()
    {
        worker = WorkerProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Database"] = factory.Database.ConnectionString,
            ["Storage__Provider"] = "Local",
            ["Storage__Local__RootPath"] = factory.StorageRoot,
            ["Queue__Provider"] = "Hangfire",
            ["Transcoder__Preset"] = "ultrafast",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (worker is not null)
        {
            await worker.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(40, 35.0)]
    [InlineData(22, 27.0)]
    public async Task Upload_IsProcessedIntoTheAnbFormat(int seconds, double expectedSeconds)
    {
        var (client, _) = await factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);
        var (traceId, traceParent) = TraceParents.New();
        client.DefaultRequestHeaders.Add(TraceParents.Header, traceParent);
        var upload = await client.UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, seconds));
        Assert.True(upload.StatusCode == HttpStatusCode.Created, $"{upload.StatusCode}\n{factory.Logs}\n{worker?.Output}");
        var id = (string)(await upload.ReadObjectAsync())["task_id"]!;

        var detail = await WaitForProcessedAsync(client, id);

        Assert.NotNull(detail["processed_at"]);
        var link = new Uri((string)detail["processed_url"]!);
        var download = await factory.CreateClient().GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var result = VideoFixtures.NewScratchPath();
        await File.WriteAllBytesAsync(result, await download.Content.ReadAsByteArrayAsync());
        var info = await VideoFixtures.ProbeAsync(result);
        Assert.Equal("h264", info.Codec);
        Assert.Equal((1280, 720), (info.Width, info.Height));
        Assert.False(info.HasAudio);
        Assert.InRange(info.Duration.TotalSeconds, expectedSeconds - 0.5, expectedSeconds + 0.5);
        var listed = (await (await client.GetAsync("/api/videos")).ReadArrayAsync()).Single(v => (string?)v!["video_id"] == id)!;
        Assert.Equal("processed", (string?)listed["status"]);
        Assert.False(listed.AsObject().ContainsKey("progress"));

        // The poster: a JPEG served by its own signed link, in my videos and in the public showcase.
        var poster = await factory.CreateClient().GetAsync(new Uri((string)detail["poster_url"]!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xFF, 0xD8, 0xFF], (await poster.Content.ReadAsByteArrayAsync())[..3]);
        Assert.NotNull(listed["poster_url"]);
        Assert.NotNull((await (await factory.CreateClient().GetAsync($"/api/public/videos/{id}")).ReadObjectAsync())["poster_url"]);
        Assert.True(progressSeen.SequenceEqual(progressSeen.Order()), $"progress went back: {string.Join(", ", progressSeen)}");
        Assert.All(progressSeen, p => Assert.InRange(p, 0, 100));

        // The upload's trace travelled in the Hangfire job: the worker's log lines about the video carry its id (telemetry off).
        Assert.Contains(TraceParents.LinesWith(worker!.Output, traceId), l => l.Contains($"Video {id} processed", StringComparison.Ordinal));
    }

    private readonly List<int> progressSeen = [];

    private async Task<System.Text.Json.Nodes.JsonObject> WaitForProcessedAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var detail = await (await client.GetAsync($"/api/videos/{id}")).ReadObjectAsync();
            var status = (string?)detail["status"];
            if (status == "processing")
            {
                progressSeen.Add((int)detail["progress"]!);
            }

            if (status == "processed")
            {
                return detail;
            }

            Assert.True(status != "failed", $"Video failed: {detail["failure_reason"]}\n{worker?.Output}");
            Assert.True(DateTime.UtcNow < deadline, string.Create(CultureInfo.InvariantCulture, $"Still {status} after 3 minutes.\n{worker?.Output}"));
            await Task.Delay(250);
        }
    }
}
