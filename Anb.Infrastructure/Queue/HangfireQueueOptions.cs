using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Queue;

public sealed class HangfireQueueOptions
{
    public const string SectionName = "Queue:Hangfire";

    /// <summary>Concurrent videos per worker host.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>Fallback polling of the queue table; new jobs also wake idle workers through LISTEN/NOTIFY.</summary>
    [Range(50, 60_000)]
    public int PollIntervalMs { get; set; } = 500;

    public bool LongPolling { get; set; } = true;

    /// <summary>How often scheduled retries are moved back to the queue.</summary>
    [Range(1, 300)]
    public int SchedulePollingSeconds { get; set; } = 1;
}
