namespace Anb.Infrastructure.Queue;

public static class QueueProviders
{
    public const string Hangfire = "Hangfire";
    public const string Sqs = "Sqs";
}
