using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Application;
using Anb.Application.Abstractions;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Anb.IntegrationTests.Aws;

/// <summary>
/// What the worker tests share: a fresh database, one bucket, raw S3 and SQS clients, worker hosts
/// configured for S3 and SQS on moto, and the seeding and waiting helpers.
/// </summary>
internal sealed class AwsWorkerHarness : IAsyncDisposable
{
    public const int MaxReceiveCount = 3;

    private readonly List<IHost> hosts = [];

    private AwsWorkerHarness(MotoServerFixture moto, TestDatabase database, string bucket)
    {
        Moto = moto;
        Database = database;
        Bucket = bucket;
        Sqs = moto.CreateSqsClient();
        S3 = moto.CreateS3Client();
    }

    public MotoServerFixture Moto { get; }

    public TestDatabase Database { get; }

    public string Bucket { get; }

    public AmazonSQSClient Sqs { get; }

    public AmazonS3Client S3 { get; }

    public static async Task<AwsWorkerHarness> CreateAsync(MotoServerFixture moto) =>
        new(moto, await TestDatabase.CreateAsync(), await moto.CreateBucketAsync("worker"));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }

        Sqs.Dispose();
        S3.Dispose();
        await Database.DisposeAsync();
    }

    /// <summary>The settings of a worker on this harness, in configuration-key form.</summary>
    public Dictionary<string, string?> WorkerSettings(string queueUrl, int visibilitySeconds = 10, int waitTimeSeconds = 1)
    {
        var settings = Moto.AdapterSettings(Bucket, queueUrl);
        settings["ConnectionStrings:Database"] = Database.ConnectionString;
        settings["Queue:Sqs:MaxConcurrency"] = "2";
        settings["Queue:Sqs:WaitTimeSeconds"] = waitTimeSeconds.ToString(CultureInfo.InvariantCulture);
        settings["Queue:Sqs:VisibilityTimeoutSeconds"] = visibilitySeconds.ToString(CultureInfo.InvariantCulture);
        settings["Queue:Sqs:MaxReceiveCount"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture);
        settings["Processing:MaxAttempts"] = "3";
        settings["Processing:RetryBaseDelaySeconds"] = "1";
        return settings;
    }

    /// <summary>A started in-process worker host; <paramref name="transcoder"/> null builds a host that only enqueues and reads.</summary>
    public async Task<IHost> StartWorkerAsync(
        string queueUrl,
        IVideoTranscoder? transcoder,
        int visibilitySeconds = 10,
        int waitTimeSeconds = 1,
        TimeSpan? shutdownTimeout = null,
        IAmazonSQS? sqsClient = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(WorkerSettings(queueUrl, visibilitySeconds, waitTimeSeconds));
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
        if (transcoder is not null)
        {
            builder.Services.AddWorkerInfrastructure(builder.Configuration);
            builder.Services.AddSingleton(transcoder);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(5));
        if (sqsClient is not null)
        {
            builder.Services.AddSingleton(sqsClient);
        }

        var host = builder.Build();
        hosts.Add(host);
        await DatabaseMigrator.MigrateAsync(host.Services);
        await host.StartAsync();
        return host;
    }

    // The video helpers live in tests/Shared (WorkerHostVideos); these names stay for the consumer tests.
    public static Task EnqueueAsync(IHost host, Guid videoId) => host.EnqueueProcessingAsync(videoId);

    public static Task<Video> SeedUploadedVideoAsync(IHost host) => host.SeedUploadedVideoAsync();

    public static Task<Video> FindVideoAsync(IHost host, Guid videoId) => host.FindVideoAsync(videoId);

    public static Task<Video> WaitForStatusAsync(IHost host, Guid videoId, VideoStatus status, int seconds = 30) =>
        host.WaitForVideoStatusAsync(videoId, status, seconds);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public Task<(int Visible, int InFlight)> QueueCountsAsync(string queueUrl) => Sqs.CountsAsync(queueUrl);

    public async Task WaitForQueueEmptyAsync(string queueUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await QueueCountsAsync(queueUrl) is var counts && counts != (0, 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Queue still holds {counts}.");
            await Task.Delay(100);
        }
    }

    public Task<Message> ReceiveOneAsync(string queueUrl, TimeSpan within) => Sqs.ReceiveOneAsync(queueUrl, within);

    public async Task<List<string>> ListKeysAsync(string prefix)
    {
        var response = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix });
        return response.S3Objects?.Select(o => o.Key).ToList() ?? [];
    }
}
