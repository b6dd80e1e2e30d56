namespace Anb.Application.Abstractions;

/// <summary>What the upload rules need to know about a file, read from its bytes.</summary>
/// <param name="IsMp4">The container is ISO base media (MP4/MOV family with an MP4 brand).</param>
/// <param name="Codec">The codec of the video tracks; <see cref="VideoCodec.Other"/> when any of them is not H.264 or HEVC.</param>
public sealed record VideoProbeResult(bool IsMp4, TimeSpan Duration, int Width, int Height, VideoCodec Codec);

public interface IVideoProbe
{
    /// <summary>Reads the container header; null when the file is not a readable video.</summary>
    Task<VideoProbeResult?> ProbeAsync(string filePath, CancellationToken cancellationToken);
}
