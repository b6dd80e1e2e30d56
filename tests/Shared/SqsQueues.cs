using Amazon.SQS;
using Amazon.SQS.Model;

namespace Anb.Tests.Shared;

/// <summary>What a test reads off an SQS queue on the emulator.</summary>
public static class SqsQueues
{
    public static async Task<(int Visible, int InFlight)> CountsAsync(this IAmazonSQS sqs, string queueUrl)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
    }

    /// <summary>The next message (with its receive count) to arrive within <paramref name="within"/>; fails the test otherwise.</summary>
    public static async Task<Message> ReceiveOneAsync(this IAmazonSQS sqs, string queueUrl, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                WaitTimeSeconds = 1,
                MessageSystemAttributeNames = [MessageSystemAttributeName.ApproximateReceiveCount],
            });
            if (response.Messages is [var message, ..])
            {
                return message;
            }

            Xunit.Assert.True(DateTime.UtcNow < deadline, $"No message on {queueUrl} within {within}.");
        }
    }
}
