namespace Anb.Application.Videos.ProcessVideo;

public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>Attempts before a video is marked failed (the queue retries with backoff in between).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff between attempts, in seconds.</summary>
    public int RetryBaseDelaySeconds { get; set; } = 5;

    /// <summary>A video still processing after this long is treated as abandoned (a crashed worker) and recovered.</summary>
    public int StaleAfterMinutes { get; set; } = 30;

    /// <summary>Where the worker keeps per-video scratch folders; empty means the system temp folder.</summary>
    public string TempPath { get; set; } = string.Empty;

    public string ResolveTempRoot() =>
        string.IsNullOrWhiteSpace(TempPath) ? Path.Combine(Path.GetTempPath(), "anb-worker") : TempPath;
}
