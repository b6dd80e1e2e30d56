using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Infrastructure.Queue;
using Anb.Infrastructure.Storage;

namespace Anb.Tests.Shared;

/// <summary>
/// S3 and SQS on <see cref="MotoServer.SharedOrPrivateAsync"/>, with clients, options and fresh buckets and
/// queues for the adapters. Sets fake credentials for the whole test process.
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    public const string Region = "us-east-1";

    private MotoServer? server;

    public string EndpointUrl => server?.EndpointUrl ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        Environment.SetEnvironmentVariable("AWS_REGION", Region);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        server = await MotoServer.SharedOrPrivateAsync();
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public S3StorageOptions S3Options(string bucket, string keyPrefix = "", int urlLifetimeSeconds = 900) => new()
    {
        BucketName = bucket,
        Region = Region,
        ServiceUrl = EndpointUrl,
        ForcePathStyle = true,
        KeyPrefix = keyPrefix,
        UrlLifetimeSeconds = urlLifetimeSeconds,
    };

    /// <summary>The settings that put a host's storage on <paramref name="bucket"/> and its queue on <paramref name="queueUrl"/> here.</summary>
    public Dictionary<string, string?> AdapterSettings(string bucket, string queueUrl) => new()
    {
        ["Storage:Provider"] = "S3",
        ["Storage:S3:BucketName"] = bucket,
        ["Storage:S3:Region"] = Region,
        ["Storage:S3:ServiceUrl"] = EndpointUrl,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Queue:Provider"] = "Sqs",
        ["Queue:Sqs:QueueUrl"] = queueUrl,
        ["Queue:Sqs:Region"] = Region,
        ["Queue:Sqs:ServiceUrl"] = EndpointUrl,
    };

    public AmazonS3Client CreateS3Client() => StorageRegistration.CreateClient(S3Options("unused"));

    public AmazonSQSClient CreateSqsClient() => QueueRegistration.CreateSqsClient(new SqsQueueOptions { Region = Region, ServiceUrl = EndpointUrl });

    public async Task<string> CreateBucketAsync(string purpose)
    {
        var name = $"anb-{purpose}-{Guid.NewGuid():N}";
        using var s3 = CreateS3Client();
        await s3.PutBucketAsync(name);
        return name;
    }

    public async Task<string> CreateQueueAsync(string purpose, Dictionary<string, string>? attributes = null)
    {
        using var sqs = CreateSqsClient();
        var response = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"anb-{purpose}-{Guid.NewGuid():N}", Attributes = attributes });
        return response.QueueUrl;
    }
}
