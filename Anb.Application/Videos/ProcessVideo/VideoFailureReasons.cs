using Anb.Application.Abstractions;

namespace Anb.Application.Videos.ProcessVideo;

/// <summary>Why a video ended <c>failed</c>, the <c>anb.reason</c> of <c>anb.video.failed</c> (a small closed set).</summary>
public static class VideoFailureReasons
{
    /// <summary>The decoded video broke a rule its header passed (too short, too small): never retried.</summary>
    public const string InvalidMedia = "invalid_media";

    /// <summary>FFmpeg ran past its time limit on the last attempt.</summary>
    public const string TimedOut = "timed_out";

    /// <summary>FFmpeg failed on the last attempt.</summary>
    public const string TranscodeError = "transcode_error";

    /// <summary>The original was not in storage.</summary>
    public const string OriginalMissing = "original_missing";

    /// <summary>Anything else on the last attempt (storage, database).</summary>
    public const string InternalError = "internal_error";

    /// <summary>The stale-video sweep found the video abandoned (workers died) with every attempt used.</summary>
    public const string AttemptsExhausted = "attempts_exhausted";

    /// <summary>The reason of a last attempt that ended with <paramref name="exception"/>.</summary>
    public static string Of(Exception exception) => exception switch
    {
        DecodedVideoMismatchException => InvalidMedia,
        VideoTranscodingTimeoutException => TimedOut,
        VideoTranscodingException => TranscodeError,
        FileNotFoundException => OriginalMissing,
        _ => InternalError,
    };
}
