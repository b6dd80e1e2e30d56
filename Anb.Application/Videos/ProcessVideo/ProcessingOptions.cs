using System.ComponentModel.DataAnnotations;

namespace Anb.Application.Videos.ProcessVideo;

/// <summary>Retries and recovery of processing (section <c>Processing</c>), checked at start-up.</summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>Attempts before a video is marked failed (the queue retries with backoff in between).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff between attempts, in seconds.</summary>
    [Range(1, 3600)]
    public int RetryBaseDelaySeconds { get; set; } = 5;

    /// <summary>A video still processing after this long is treated as abandoned (a crashed worker) and recovered.</summary>
    [Range(1, 24 * 60)]
    public int StaleAfterMinutes { get; set; } = 30;
}
