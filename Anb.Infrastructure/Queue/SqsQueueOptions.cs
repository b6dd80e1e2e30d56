using System.ComponentModel.DataAnnotations;
using Anb.Infrastructure.Common;

namespace Anb.Infrastructure.Queue;

public sealed class SqsQueueOptions
{
    public const string SectionName = "Queue:Sqs";

    [Required]
    [HttpUrl]
    public string QueueUrl { get; set; } = string.Empty;

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Endpoint of an SQS emulator (moto); empty means AWS itself.</summary>
    [HttpUrl]
    public string ServiceUrl { get; set; } = string.Empty;

    /// <summary>Videos processed at once by one worker host.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Long-polling wait of each receive (0 turns long polling off).</summary>
    [Range(0, 20)]
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>
    /// How long a received message stays hidden; a heartbeat renews it every third of this while a video is
    /// processed, so it only bounds how soon a crashed worker's message comes back.
    /// </summary>
    [Range(3, 43_200)]
    public int VisibilityTimeoutSeconds { get; set; } = 60;

    /// <summary>The queue's redrive <c>maxReceiveCount</c>: the receive that reaches it is the last delivery before the dead-letter queue.</summary>
    [Range(1, 1000)]
    public int MaxReceiveCount { get; set; } = 3;
}
