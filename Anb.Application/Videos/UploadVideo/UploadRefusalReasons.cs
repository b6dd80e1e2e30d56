using Anb.Application.Common.Exceptions;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>
/// Why an upload was refused, the <c>anb.reason</c> of <c>anb.upload.refused</c>: the rule of
/// <see cref="UploadVideoValidator"/> that failed (its error code), a rate limit, or a dependency that was down.
/// </summary>
public static class UploadRefusalReasons
{
    /// <summary>Over <c>Upload:MaxBytes</c> (400 from the validator or while the body arrives).</summary>
    public const string TooLarge = "too_large";

    /// <summary>Not an MP4 container with a video track of known size.</summary>
    public const string NotMp4 = "not_mp4";

    /// <summary>Duration outside <c>Upload:MinDurationSeconds</c>..<c>MaxDurationSeconds</c>.</summary>
    public const string Duration = "duration";

    /// <summary>Shorter side below <c>Upload:MinShortSide</c>.</summary>
    public const string Resolution = "resolution";

    /// <summary>A video codec other than H.264 or HEVC.</summary>
    public const string Codec = "codec";

    /// <summary>Any other bad request: not multipart, no file, no or a bad title, a malformed body.</summary>
    public const string Invalid = "invalid";

    /// <summary>The player's upload limits (429).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Storage, database or queue down, or the instance's upload slots full (503).</summary>
    public const string Unavailable = "unavailable";

    private static readonly HashSet<string> RuleReasons = [TooLarge, NotMp4, Duration, Resolution, Codec];

    /// <summary>The reason of an upload that ended with <paramref name="exception"/>.</summary>
    public static string Of(Exception exception) => exception switch
    {
        RequestValidationException { Code: { } code } when RuleReasons.Contains(code) => code,
        AppException and not ServiceUnavailableException => Invalid,
        _ => Unavailable,
    };
}
