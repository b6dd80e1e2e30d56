using Anb.Application;
using Anb.Application.Abstractions;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Anb.IntegrationTests.Queue;

/// <summary>
/// The Hangfire adapter end to end on a real PostgreSQL: enqueue, a Hangfire server running the job,
/// the processing command, retries with backoff. The transcoder is a stand-in; FFmpeg has its own tests.
/// </summary>
public sealed class HangfireVideoQueueTests : IAsyncLifetime
{
    private readonly string storageRoot = Path.Combine(Path.GetTempPath(), "anb-tests", $"hangfire-{Guid.NewGuid():N}");
    private readonly ScriptedTranscoder transcoder = new();
    private TestDatabase database = null!;
    private IHost worker = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["Storage:Provider"] = "Local",
            ["Storage:Local:RootPath"] = storageRoot,
            ["Queue:Provider"] = "Hangfire",
            ["Queue:Hangfire:WorkerCount"] = "2",
            ["Processing:MaxAttempts"] = "3",
            ["Processing:RetryBaseDelaySeconds"] = "1",
        });
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddWorkerInfrastructure(builder.Configuration);
        builder.Services.AddSingleton<IVideoTranscoder>(transcoder);
        worker = builder.Build();
        await DatabaseMigrator.MigrateAsync(worker.Services);
        await worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        await database.DisposeAsync();
        Directory.Delete(storageRoot, recursive: true);
    }

    [Fact]
    public async Task Enqueue_UploadedVideo_IsProcessedByTheWorker()
    {
        var video = await worker.SeedUploadedVideoAsync();

        await worker.EnqueueProcessingAsync(video.Id);

        var done = await worker.WaitForVideoStatusAsync(video.Id, VideoStatus.Processed, seconds: 60);
        Assert.NotNull(done.ProcessedAt);
        Assert.True(File.Exists(Path.Combine(storageRoot, done.ProcessedKey!)));
        Assert.Equal(1, done.Attempts);
    }

    [Fact]
    public async Task Enqueue_TwiceForOneVideo_EndsProcessedOnceWithItsResult()
    {
        var video = await worker.SeedUploadedVideoAsync();

        await worker.EnqueueProcessingAsync(video.Id);
        await worker.EnqueueProcessingAsync(video.Id);

        var done = await worker.WaitForVideoStatusAsync(video.Id, VideoStatus.Processed, seconds: 60);
        await WaitForJobsToFinishAsync();
        // Two deliveries may both transcode (they can overlap on two workers), but only one result is
        // recorded, it stays in storage, and a delivery after that is a no-op.
        Assert.InRange(transcoder.Calls(video.Id), 1, 2);
        Assert.True(File.Exists(Path.Combine(storageRoot, done.ProcessedKey!)));
        await worker.EnqueueProcessingAsync(video.Id);
        await WaitForJobsToFinishAsync();
        Assert.InRange(transcoder.Calls(video.Id), 1, 2);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename <> 'Succeeded'"));
    }

    [Fact]
    public async Task TransientFailures_AreRetriedWithBackoffUntilSuccess()
    {
        var video = await worker.SeedUploadedVideoAsync();
        transcoder.FailTimes(video.Id, 2);

        await worker.EnqueueProcessingAsync(video.Id);

        var done = await worker.WaitForVideoStatusAsync(video.Id, VideoStatus.Processed, seconds: 60);
        Assert.Equal(3, done.Attempts);
        var gaps = transcoder.CallTimes(video.Id).Zip(transcoder.CallTimes(video.Id).Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[1] > gaps[0], $"Backoff should grow: {string.Join(", ", gaps)}");
    }

    [Fact]
    public async Task PersistentFailure_MarksVideoFailedAfterThreeAttempts()
    {
        var video = await worker.SeedUploadedVideoAsync();
        transcoder.FailTimes(video.Id, int.MaxValue);

        await worker.EnqueueProcessingAsync(video.Id);

        var failed = await worker.WaitForVideoStatusAsync(video.Id, VideoStatus.Failed, seconds: 60);
        Assert.Equal(3, failed.Attempts);
        Assert.Equal("No se pudo procesar el video: scripted failure", failed.FailureReason);
        await WaitForJobsToFinishAsync();
        Assert.Equal(3, transcoder.Calls(video.Id));
        Assert.Empty(Directory.GetFiles(storageRoot, "processed*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Enqueue_DeletedVideo_FinishesAsNoOp()
    {
        var video = await worker.SeedUploadedVideoAsync();
        await database.ExecuteAsync($"DELETE FROM videos WHERE id = '{video.Id}'");

        await worker.EnqueueProcessingAsync(video.Id);

        await WaitForJobsToFinishAsync();
        Assert.Equal(0, transcoder.Calls(video.Id));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename <> 'Succeeded'"));
    }

    private async Task WaitForJobsToFinishAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing', 'Scheduled')") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Hangfire jobs did not finish.");
            await Task.Delay(100);
        }
    }
}
