namespace Anb.Application.Abstractions;

/// <summary>Turns an uploaded clip into the ANB format (intro, first 30 s letterboxed to 720p with watermark, outro).</summary>
public interface IVideoTranscoder
{
    /// <exception cref="VideoTranscodingException">The input could not be transcoded.</exception>
    Task TranscodeAsync(string inputPath, string outputPath, CancellationToken cancellationToken);
}

/// <summary>The transcoder refused or failed on an input; the message is stored as the failure reason.</summary>
public sealed class VideoTranscodingException(string message, Exception? innerException = null)
    : Exception(message, innerException);
