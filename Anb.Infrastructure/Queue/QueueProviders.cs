namespace Anb.Infrastructure.Queue;

/// <summary>The values of <c>Queue:Provider</c>, which picks the queue adapter.</summary>
public static class QueueProviders
{
    public const string ConfigurationKey = "Queue:Provider";

    public const string Hangfire = "Hangfire";
    public const string Sqs = "Sqs";
}
