namespace Anb.Application.Abstractions;

/// <summary>
/// Turns an uploaded clip into the ANB format (intro, first 30 s letterboxed to 720p with watermark, outro) and makes its
/// poster, a JPEG frame of the clip's body.
/// </summary>
public interface IVideoTranscoder
{
    /// <param name="posterPath">Where the poster goes; written only when the transcode succeeds, like the output.</param>
    /// <param name="progress">Told the share of the output written so far, in percent (0 to 100), as the transcode goes.</param>
    /// <exception cref="VideoTranscodingException">The input could not be transcoded.</exception>
    /// <exception cref="VideoTranscodingTimeoutException">The transcode ran past its time limit.</exception>
    /// <exception cref="DecodedVideoMismatchException">The decoded stream breaks an upload rule its header passed.</exception>
    Task TranscodeAsync(string inputPath, string outputPath, string posterPath, IProgress<int>? progress, CancellationToken cancellationToken);
}

/// <summary>The transcoder refused or failed on an input; the message is stored as the failure reason.</summary>
public class VideoTranscodingException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>The transcode ran past its time limit and was stopped; retried like any other failure.</summary>
public sealed class VideoTranscodingTimeoutException(TimeSpan limit)
    : VideoTranscodingException(FormattableString.Invariant($"ffmpeg was stopped after its time limit of {limit.TotalSeconds:0.#} s"))
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>
/// What FFmpeg decoded breaks an upload rule that the container header claimed to meet (a crafted or
/// damaged header). Retrying cannot help: the video fails at once.
/// </summary>
public sealed class DecodedVideoMismatchException(DecodedVideoRule rule, int required, string detail)
    : VideoTranscodingException(detail)
{
    public DecodedVideoRule Rule { get; } = rule;

    /// <summary>The rule's limit: seconds, or pixels of the shorter side.</summary>
    public int Required { get; } = required;
}

/// <summary>The upload rules the worker can check on what it decoded.</summary>
public enum DecodedVideoRule
{
    MinDuration,
    MinShortSide,
}
