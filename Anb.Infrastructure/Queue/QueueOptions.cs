using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Queue;

/// <summary>Which queue adapter runs (section <c>Queue</c>).</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";
    public const string Hangfire = "Hangfire";
    public const string Sqs = "Sqs";

    [AllowedValues(Hangfire, Sqs)]
    public string Provider { get; set; } = Hangfire;
}
