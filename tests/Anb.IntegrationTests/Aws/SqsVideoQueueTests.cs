using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Infrastructure.Queue;
using Anb.Tests.Shared;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Anb.IntegrationTests.Aws;

[Collection(AwsCollection.Name)]
public sealed class SqsVideoQueueTests(MotoServerFixture moto) : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 10, 14, 30, 0, TimeSpan.Zero));
    private AmazonSQSClient sqs = null!;
    private string queueUrl = null!;

    public async Task InitializeAsync()
    {
        sqs = moto.CreateSqsClient();
        queueUrl = await moto.CreateQueueAsync("send");
    }

    public Task DisposeAsync()
    {
        sqs.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Enqueue_SendsASmallSnakeCaseJsonMessage()
    {
        var queue = new SqsVideoQueue(sqs, Options.Create(new SqsQueueOptions { QueueUrl = queueUrl }), time);
        var videoId = Guid.NewGuid();

        await queue.EnqueueProcessingAsync(videoId, default);

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 });
        var message = Assert.Single(received.Messages ?? []);
        Assert.Equal($"{{\"video_id\":\"{videoId}\",\"enqueued_at\":\"2026-03-10T14:30:00Z\"}}", message.Body);
        using var json = JsonDocument.Parse(message.Body);
        Assert.Equal(["video_id", "enqueued_at"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Enqueue_QueueMissing_Throws()
    {
        var missing = queueUrl.Replace("anb-send-", "anb-none-", StringComparison.Ordinal);
        var queue = new SqsVideoQueue(sqs, Options.Create(new SqsQueueOptions { QueueUrl = missing }), time);

        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => queue.EnqueueProcessingAsync(Guid.NewGuid(), default));
    }
}
