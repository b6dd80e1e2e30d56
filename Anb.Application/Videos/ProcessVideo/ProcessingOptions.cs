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

    /// <summary>
    /// How long a worker's claim on a video lasts without renewal; the worker renews it every third of this
    /// while it transcodes. A crashed worker's video is claimable again (and swept back into the queue) once
    /// its lease expires, so this bounds how long a crash stalls a video.
    /// </summary>
    [Range(6, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>
    /// A video still <c>uploaded</c> after this long (its task was lost), or <c>processing</c> without a lease
    /// (between retries), is treated as abandoned and recovered.
    /// </summary>
    [Range(1, 24 * 60)]
    public int StaleAfterMinutes { get; set; } = 30;

    /// <summary>
    /// A video still <c>uploaded</c> and never marked queued after this long (its upload's enqueue failed, or its API
    /// stopped before marking it) is enqueued by the stale-video sweep. Short: such a video is in no queue at all.
    /// </summary>
    [Range(5, 3600)]
    public int EnqueueGraceSeconds { get; set; } = 30;
}
