using System.Diagnostics;
using Anb.Domain.Videos;
using Anb.Tests.Shared;
using Microsoft.Extensions.Hosting;

namespace Anb.IntegrationTests.Aws;

/// <summary>
/// The real <c>Anb.WorkerHost</c> binary as a child process, configured by environment variables alone
/// (<c>Storage__S3__...</c>, <c>Queue__Sqs__...</c>), with a stand-in transcoder injected by
/// <see cref="StartupHook"/>: it processes a video, stops on SIGTERM, and a SIGKILL mid-task loses nothing.
/// </summary>
[Collection(AwsCollection.Name)]
public sealed class WorkerHostProcessTests(MotoServerFixture moto) : IAsyncLifetime
{
    private const int VisibilitySeconds = 4;
    private const int LeaseSeconds = 6;
    private readonly List<WorkerProcess> processes = [];
    private AwsWorkerHarness harness = null!;

    public async Task InitializeAsync() => harness = await AwsWorkerHarness.CreateAsync(moto);

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }

        await harness.DisposeAsync();
    }

    [Fact]
    public async Task ConfiguredByEnvironmentOnly_ProcessesAVideoAndStopsOnSigterm()
    {
        var queueUrl = await moto.CreateQueueAsync("proc");
        var tool = await harness.StartWorkerAsync(queueUrl, transcoder: null);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(tool);
        using var worker = Start(queueUrl, "copy");
        await worker.WaitForOutputAsync("SQS consumer started", TimeSpan.FromSeconds(30));

        await AwsWorkerHarness.EnqueueAsync(tool, video.Id);

        var done = await AwsWorkerHarness.WaitForStatusAsync(tool, video.Id, VideoStatus.Processed);
        Assert.Equal([done.PosterKey!, done.ProcessedKey!], await harness.ListKeysAsync($"processed/{video.Id:N}")); // the poster beside the video
        await harness.WaitForQueueEmptyAsync(queueUrl);
        var stopping = Stopwatch.StartNew();
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(15)));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"SIGTERM to exit took {stopping.Elapsed}.");
    }

    [Fact]
    public async Task KilledMidTask_AnotherWorkerProcessTakesTheVideoOnceTheLeaseExpiresAndProcessesItOnce()
    {
        var queueUrl = await moto.CreateQueueAsync("kill");
        var tool = await harness.StartWorkerAsync(queueUrl, transcoder: null);
        var video = await AwsWorkerHarness.SeedUploadedVideoAsync(tool);
        var doomed = Start(queueUrl, "hang");

        await AwsWorkerHarness.EnqueueAsync(tool, video.Id);
        await doomed.WaitForOutputAsync(StartupHook.StartedMarker, TimeSpan.FromSeconds(30));
        doomed.Kill();
        var killedAt = DateTime.UtcNow;
        Assert.Equal((0, 1), await harness.QueueCountsAsync(queueUrl));

        using var rescuer = Start(queueUrl, "copy");
        var done = await AwsWorkerHarness.WaitForStatusAsync(tool, video.Id, VideoStatus.Processed);

        Assert.True(DateTime.UtcNow - killedAt > TimeSpan.FromSeconds(VisibilitySeconds / 3.0), "The message came back too soon.");
        Assert.Equal(2, done.Attempts);
        Assert.Single(rescuer.OutputLines(StartupHook.StartedMarker));
        Assert.Equal([done.PosterKey!, done.ProcessedKey!], await harness.ListKeysAsync($"processed/{video.Id:N}")); // the poster beside the video
        await harness.WaitForQueueEmptyAsync(queueUrl);
    }

    private WorkerProcess Start(string queueUrl, string transcoder)
    {
        var environment = harness.WorkerSettings(queueUrl, VisibilitySeconds)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value);
        environment["Processing__ShutdownTimeoutSeconds"] = "5";

        // The message comes back before the dead worker's lease expires (that delivery is skipped and settled);
        // the sweep requeues the video once it has.
        environment["Processing__LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Processing__RecoveryIntervalSeconds"] = "1";
        environment["DOTNET_ENVIRONMENT"] = Environments.Production;
        environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        environment[StartupHook.TranscoderVariable] = transcoder;
        var process = WorkerProcess.Start(environment);
        processes.Add(process);
        return process;
    }
}
