using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Queue;

/// <summary>Sends a small JSON message per video to SQS; <see cref="SqsVideoQueueConsumer"/> processes it.</summary>
public sealed class SqsVideoQueue(IAmazonSQS sqs, IOptions<SqsQueueOptions> options, TimeProvider timeProvider) : IVideoQueue
{
    public async Task EnqueueProcessingAsync(Guid videoId, CancellationToken cancellationToken)
    {
        var message = new SqsVideoMessage(videoId, timeProvider.GetUtcNow().UtcDateTime);
        await sqs.SendMessageAsync(
            new SendMessageRequest { QueueUrl = options.Value.QueueUrl, MessageBody = message.ToJson() },
            cancellationToken);
    }
}
