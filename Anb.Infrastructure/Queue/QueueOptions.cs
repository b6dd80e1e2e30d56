namespace Anb.Infrastructure.Queue;

public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary><c>Hangfire</c> (PostgreSQL, one machine) or <c>Sqs</c>.</summary>
    public string Provider { get; set; } = QueueProviders.Hangfire;
}
