using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Queue;

public sealed class SqsQueueOptions : IValidatableObject
{
    public const string SectionName = "Queue:Sqs";

    [Required]
    public string QueueUrl { get; set; } = string.Empty;

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Endpoint of an SQS emulator (moto); empty means AWS itself.</summary>
    public string ServiceUrl { get; set; } = string.Empty;

    /// <summary>Videos processed at once by one worker host.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Long-polling wait of each receive (0 turns long polling off).</summary>
    [Range(0, 20)]
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>How long a received message stays hidden; a heartbeat renews it every third of this while a video is processed.</summary>
    [Range(3, 43_200)]
    public int VisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>The queue's redrive <c>maxReceiveCount</c>: the receive that reaches it is the last delivery before the dead-letter queue.</summary>
    [Range(1, 1000)]
    public int MaxReceiveCount { get; set; } = 3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHttpUrl(QueueUrl))
        {
            yield return new ValidationResult("QueueUrl must be an absolute http(s) URL.", [nameof(QueueUrl)]);
        }

        if (!string.IsNullOrEmpty(ServiceUrl) && !IsHttpUrl(ServiceUrl))
        {
            yield return new ValidationResult("ServiceUrl must be an absolute http(s) URL.", [nameof(ServiceUrl)]);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
