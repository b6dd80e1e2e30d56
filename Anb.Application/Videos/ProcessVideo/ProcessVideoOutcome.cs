namespace Anb.Application.Videos.ProcessVideo;

public enum ProcessVideoOutcome
{
    /// <summary>The ANB version is stored and the video is public.</summary>
    Processed,

    /// <summary>Nothing to do: the video is gone, already processed or already failed.</summary>
    Skipped,

    /// <summary>The last attempt failed; the video is marked failed with the reason.</summary>
    Failed,
}
