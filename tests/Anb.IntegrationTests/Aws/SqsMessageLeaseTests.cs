using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Infrastructure.Queue;
using Anb.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace Anb.IntegrationTests.Aws;

/// <summary>The lease on one received message against moto: heartbeat, complete, retry later, release, and SQS failures.</summary>
[Collection(AwsCollection.Name)]
public sealed class SqsMessageLeaseTests(MotoServerFixture moto) : IAsyncLifetime
{
    private readonly RecordingLogger logger = new();
    private AmazonSQSClient sqs = null!;
    private string queueUrl = null!;

    public async Task InitializeAsync()
    {
        sqs = moto.CreateSqsClient();
        queueUrl = await moto.CreateQueueAsync("lease");
        await sqs.SendMessageAsync(queueUrl, "task");
    }

    public Task DisposeAsync()
    {
        sqs.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Heartbeat_KeepsTheMessageHiddenPastItsVisibilityTimeoutUntilDisposed()
    {
        const int visibilitySeconds = 2;
        var lease = Lease(await ReceiveAsync(visibilitySeconds), visibilitySeconds);

        await using (lease.StartHeartbeat(Guid.NewGuid(), CancellationToken.None))
        {
            await Task.Delay(TimeSpan.FromSeconds(visibilitySeconds * 2));
            Assert.Equal((0, 1), await CountsAsync());
        }

        var returned = await ReceiveWithinAsync(TimeSpan.FromSeconds(visibilitySeconds + 3));
        Assert.Equal("2", returned.Attributes["ApproximateReceiveCount"]);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task Heartbeat_StopsWhenAborted()
    {
        const int visibilitySeconds = 2;
        var lease = Lease(await ReceiveAsync(visibilitySeconds), visibilitySeconds);
        using var abort = new CancellationTokenSource();

        await using (lease.StartHeartbeat(Guid.NewGuid(), abort.Token))
        {
            await abort.CancelAsync();
            await ReceiveWithinAsync(TimeSpan.FromSeconds(visibilitySeconds + 3));
        }
    }

    [Fact]
    public async Task Complete_DeletesTheMessage()
    {
        var lease = Lease(await ReceiveAsync(visibilitySeconds: 60));

        await lease.CompleteAsync();

        Assert.Equal((0, 0), await CountsAsync());
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task Release_MakesTheMessageReceivableAtOnce()
    {
        var lease = Lease(await ReceiveAsync(visibilitySeconds: 60));

        await lease.ReleaseAsync();

        var again = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 0 });
        Assert.Single(again.Messages ?? []);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task RetryLater_HidesTheMessageForTheDelayOnly()
    {
        var lease = Lease(await ReceiveAsync(visibilitySeconds: 60));

        await lease.RetryLaterAsync(2);
        var hidden = Stopwatch.StartNew();

        Assert.Equal((0, 1), await CountsAsync());
        await ReceiveWithinAsync(TimeSpan.FromSeconds(5));
        Assert.True(hidden.Elapsed >= TimeSpan.FromSeconds(1.5), $"The message came back after {hidden.Elapsed}; the delay is 2 s.");
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task FailingSqsCalls_AreLoggedNotThrown()
    {
        var missingQueue = queueUrl.Replace("anb-lease-", "anb-none-", StringComparison.Ordinal);
        var message = await ReceiveAsync(visibilitySeconds: 60);
        var videoId = Guid.NewGuid();
        var lease = new SqsMessageLease(sqs, new SqsQueueOptions { QueueUrl = missingQueue, VisibilityTimeoutSeconds = 1 }, message, logger);

        await using (lease.StartHeartbeat(videoId, CancellationToken.None))
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (logger.Entries.IsEmpty && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        await lease.CompleteAsync();
        await lease.RetryLaterAsync(7);
        await lease.ReleaseAsync();

        var entries = logger.Entries.ToArray();
        Assert.All(entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.All(entries, e => Assert.IsType<QueueDoesNotExistException>(e.Exception));
        var messages = entries.Select(e => e.Message).Distinct().ToArray();
        Assert.Equal(
            [
                $"Could not extend the visibility of video {videoId}'s message",
                $"Could not delete SQS message {message.MessageId}",
                $"Could not set visibility to 7 s SQS message {message.MessageId}",
                $"Could not set visibility to 0 s SQS message {message.MessageId}",
            ],
            messages);
        Assert.Equal((0, 1), await CountsAsync());
    }

    private SqsMessageLease Lease(Message message, int visibilitySeconds = 60) =>
        new(sqs, new SqsQueueOptions { QueueUrl = queueUrl, VisibilityTimeoutSeconds = visibilitySeconds }, message, logger);

    private async Task<Message> ReceiveAsync(int visibilitySeconds)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1, VisibilityTimeout = visibilitySeconds });
        return Assert.Single(response.Messages ?? []);
    }

    private Task<Message> ReceiveWithinAsync(TimeSpan within) => sqs.ReceiveOneAsync(queueUrl, within);

    private Task<(int Visible, int InFlight)> CountsAsync() => sqs.CountsAsync(queueUrl);

    private sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
    }
}
