using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Application.Abstractions;
using Anb.Application.Common.Telemetry;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Queue;

/// <summary>
/// Sends a small JSON message per video to SQS, with the caller's trace context as the message attributes
/// <c>traceparent</c> and <c>tracestate</c>; <see cref="SqsVideoQueueConsumer"/> processes it.
/// </summary>
public sealed class SqsVideoQueue(IAmazonSQS sqs, IOptions<SqsQueueOptions> options, TimeProvider timeProvider) : IVideoQueue
{
    public const string MessagingSystem = "aws_sqs";

    public async Task EnqueueProcessingAsync(Guid videoId, CancellationToken cancellationToken)
    {
        using var send = AnbTelemetry.StartSend(videoId, MessagingSystem);
        var message = new SqsVideoMessage(videoId, timeProvider.GetUtcNow().UtcDateTime);
        var request = new SendMessageRequest { QueueUrl = options.Value.QueueUrl, MessageBody = message.ToJson() };
        if (AnbTelemetry.CurrentContext() is ({ } traceParent, var traceState))
        {
            request.MessageAttributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal)
            {
                [AnbTelemetry.TraceParent] = new() { DataType = "String", StringValue = traceParent },
            };
            if (!string.IsNullOrEmpty(traceState))
            {
                request.MessageAttributes[AnbTelemetry.TraceState] = new() { DataType = "String", StringValue = traceState };
            }
        }

        try
        {
            await sqs.SendMessageAsync(request, cancellationToken);
        }
        catch (Exception ex)
        {
            AnbTelemetry.SetError(send, ex);
            throw;
        }
    }
}
