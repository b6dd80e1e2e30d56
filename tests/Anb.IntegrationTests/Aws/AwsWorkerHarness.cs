using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Application;
using Anb.Application.Abstractions;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.EntityFrameworkCore;
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
    public Dictionary<string, string?> WorkerSettings(string queueUrl, int visibilitySeconds = 10, int waitTimeSeconds = 1) => new()
    {
        ["ConnectionStrings:Database"] = Database.ConnectionString,
        ["Storage:Provider"] = "S3",
        ["Storage:S3:BucketName"] = Bucket,
        ["Storage:S3:Region"] = MotoServerFixture.Region,
        ["Storage:S3:ServiceUrl"] = Moto.EndpointUrl,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Queue:Provider"] = "Sqs",
        ["Queue:Sqs:QueueUrl"] = queueUrl,
        ["Queue:Sqs:Region"] = MotoServerFixture.Region,
        ["Queue:Sqs:ServiceUrl"] = Moto.EndpointUrl,
        ["Queue:Sqs:MaxConcurrency"] = "2",
        ["Queue:Sqs:WaitTimeSeconds"] = waitTimeSeconds.ToString(CultureInfo.InvariantCulture),
        ["Queue:Sqs:VisibilityTimeoutSeconds"] = visibilitySeconds.ToString(CultureInfo.InvariantCulture),
        ["Queue:Sqs:MaxReceiveCount"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
        ["Processing:MaxAttempts"] = "3",
        ["Processing:RetryBaseDelaySeconds"] = "1",
    };

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

    public static async Task EnqueueAsync(IHost host, Guid videoId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IVideoQueue>().EnqueueProcessingAsync(videoId, default);
    }

    public static async Task<Video> SeedUploadedVideoAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnbDbContext>();
        var storage = scope.ServiceProvider.GetRequiredService<IObjectStorage>();
        var user = User.Create("A", "B", $"{Guid.NewGuid():N}@example.com", "h", "Cali", "Colombia", DateTimeOffset.UtcNow);
        var id = Guid.NewGuid();
        var video = Video.Create(id, user.Id, "clip", $"originals/{id:N}.mp4", DateTimeOffset.UtcNow);
        await storage.PutAsync(video.OriginalKey, new MemoryStream([1, 2, 3]), "video/mp4", default);
        db.Users.Add(user);
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return video;
    }

    public static async Task<Video> FindVideoAsync(IHost host, Guid videoId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnbDbContext>().Videos.AsNoTracking().SingleAsync(v => v.Id == videoId);
    }

    public static async Task<Video> WaitForStatusAsync(IHost host, Guid videoId, VideoStatus status, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var video = await FindVideoAsync(host, videoId);
            if (video.Status == status)
            {
                return video;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Video {videoId} is {video.Status}, expected {status}.");
            await Task.Delay(100);
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async Task<(int Visible, int InFlight)> QueueCountsAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
    }

    public async Task WaitForQueueEmptyAsync(string queueUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await QueueCountsAsync(queueUrl) is var counts && counts != (0, 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Queue still holds {counts}.");
            await Task.Delay(100);
        }
    }

    public async Task<Message> ReceiveOneAsync(string queueUrl, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var response = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                WaitTimeSeconds = 1,
                MessageSystemAttributeNames = [MessageSystemAttributeName.ApproximateReceiveCount],
            });
            if (response.Messages is [var message, ..])
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No message on {queueUrl} within {within}.");
        }
    }

    public async Task<List<string>> ListKeysAsync(string prefix)
    {
        var response = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix });
        return response.S3Objects?.Select(o => o.Key).ToList() ?? [];
    }
}
