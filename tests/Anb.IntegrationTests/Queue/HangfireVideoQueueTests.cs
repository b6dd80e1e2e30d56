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
    private readonly List<IHost> hosts = [];
    private IHost worker = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        worker = await StartWorkerAsync();
    }

    private async Task<IHost> StartWorkerAsync(int workerCount = 2)
    {
        var host = await WorkerHostVideos.StartHangfireWorkerAsync(
            database.ConnectionString,
            storageRoot,
            new Dictionary<string, string?> { ["Queue:Hangfire:WorkerCount"] = workerCount.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.AddSingleton<IVideoTranscoder>(transcoder));
        hosts.Add(host);
        return host;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

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
        // Two deliveries, on two Hangfire workers: the lease lets one transcode; the other, and a delivery
        // after that, are no-ops.
        Assert.Equal(1, transcoder.Calls(video.Id));
        Assert.True(File.Exists(Path.Combine(storageRoot, done.ProcessedKey!)));
        await worker.EnqueueProcessingAsync(video.Id);
        await WaitForJobsToFinishAsync();
        Assert.Equal(1, transcoder.Calls(video.Id));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename <> 'Succeeded'"));
    }

    [Fact]
    public async Task TwoWorkerHosts_SameTaskWhileOneTranscodes_OneTranscodeAndTheOtherDeliverySettled()
    {
        // One Hangfire worker each: while the first host's holds the transcode, only the second host can take the task.
        await worker.StopAsync();
        var first = await StartWorkerAsync(workerCount: 1);
        var second = await StartWorkerAsync(workerCount: 1);
        var video = await first.SeedUploadedVideoAsync();
        var hold = transcoder.Hold(video.Id);

        await first.EnqueueProcessingAsync(video.Id);
        await transcoder.Started(video.Id).WaitAsync(TimeSpan.FromSeconds(60));
        await first.EnqueueProcessingAsync(video.Id);
        await WaitForJobCountAsync("Succeeded", 1); // the second delivery, skipped while the first holds the lease
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Processing'"));
        hold.SetResult();

        var done = await second.WaitForVideoStatusAsync(video.Id, VideoStatus.Processed, seconds: 60);
        await WaitForJobsToFinishAsync();
        Assert.Equal(1, transcoder.Calls(video.Id));
        Assert.Equal((1, null), (done.Attempts, done.LeaseOwner));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'"));
    }

    [Fact]
    public async Task TransientFailures_AreRetriedWithBackoffUntilSuccess_AllInTheEnqueuersTrace()
    {
        using var traces = new RecordedTraces();
        var video = await worker.SeedUploadedVideoAsync();
        transcoder.FailTimes(video.Id, 2);

        using (RecordedTraces.StartTestTrace())
        {
            await worker.EnqueueProcessingAsync(video.Id);
        }

        var done = await worker.WaitForVideoStatusAsync(video.Id, VideoStatus.Processed, seconds: 60);
        Assert.Equal(3, done.Attempts);
        var gaps = transcoder.CallTimes(video.Id).Zip(transcoder.CallTimes(video.Id).Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[1] > gaps[0], $"Backoff should grow: {string.Join(", ", gaps)}");
        QueueTraces.AssertDeliveriesInOneTrace(traces, video.Id, deliveries: 3);
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

    private async Task WaitForJobCountAsync(string state, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await database.ScalarAsync<long>($"SELECT count(*) FROM hangfire.job WHERE statename = '{state}'") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} Hangfire jobs reached {state}.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// What Hangfire.PostgreSql leaves when PostgreSQL fails between creating a job and setting its first state
    /// (here a trigger refuses the state): a job row with no state and an expiry, no queue entry, never run. The
    /// fault suite reports such drafts apart from orphans; the video's row is not marked queued, so the
    /// stale-video sweep enqueues it again.
    /// </summary>
    [Fact]
    public async Task Enqueue_FirstStateRefused_LeavesAJobRowWithoutStateThatExpiresAndNeverRuns()
    {
        var video = await worker.SeedUploadedVideoAsync();
        await database.ExecuteAsync("""
            CREATE FUNCTION hangfire.refuse_state() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'state refused'; END $$;
            CREATE TRIGGER refuse_state BEFORE INSERT ON hangfire.state FOR EACH ROW EXECUTE FUNCTION hangfire.refuse_state();
            """);

        await Assert.ThrowsAnyAsync<Exception>(() => worker.EnqueueProcessingAsync(video.Id));
        await database.ExecuteAsync("DROP TRIGGER refuse_state ON hangfire.state");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var job = $"%{video.Id}%";
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE $1", job));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE $1 AND statename IS NULL", job));
        var expiresInDays = await database.ScalarAsync<double>(
            "SELECT (extract(epoch FROM expireat - createdat) / 86400)::float8 FROM hangfire.job WHERE arguments::text LIKE $1", job);
        Assert.InRange(expiresInDays, 29.9, 30.1);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue"));
        Assert.Equal(0, transcoder.Calls(video.Id));
        Assert.Equal(VideoStatus.Uploaded, (await worker.FindVideoAsync(video.Id)).Status);
        Assert.Null((await worker.FindVideoAsync(video.Id)).QueuedAt);
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
