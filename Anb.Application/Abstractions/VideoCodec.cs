namespace Anb.Application.Abstractions;

/// <summary>The compression of a video track, as its sample description names it.</summary>
public enum VideoCodec
{
    /// <summary>Anything else (MPEG-4 part 2, VP9, AV1, ProRes, an encrypted or missing description, ...).</summary>
    Other,

    /// <summary>H.264 / AVC (<c>avc1</c>, <c>avc3</c>).</summary>
    H264,

    /// <summary>H.265 / HEVC (<c>hvc1</c>, <c>hev1</c>).</summary>
    Hevc,
}
