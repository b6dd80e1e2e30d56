using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Media;

/// <summary>How uploads are turned into the ANB format; bound from the <c>Transcoder</c> section.</summary>
public sealed class TranscoderOptions : IValidatableObject
{
    public const string SectionName = "Transcoder";

    /// <summary>libx264 speed preset.</summary>
    [Required]
    [AllowedValues("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow")]
    public string Preset { get; set; } = "veryfast";

    /// <summary>libx264 constant rate factor (0 lossless, 51 worst).</summary>
    [Range(0, 51)]
    public int Crf { get; set; } = 23;

    /// <summary>Folder holding the <c>ffmpeg</c> binary; empty to find it on <c>PATH</c>.</summary>
    public string BinaryFolder { get; set; } = string.Empty;

    /// <summary>Folder holding <c>anb-intro.png</c>, <c>anb-outro.png</c> and <c>anb-logo.png</c>.</summary>
    [Required]
    public string AssetsFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "Assets");

    [Range(0.5, 10)]
    public double IntroSeconds { get; set; } = 2.5;

    [Range(0.5, 10)]
    public double OutroSeconds { get; set; } = 2.5;

    /// <summary>Only the first this many seconds of an upload are kept.</summary>
    [Range(1, 600)]
    public double MaxMainSeconds { get; set; } = 30;

    [Range(160, 3840)]
    public int Width { get; set; } = 1280;

    [Range(90, 2160)]
    public int Height { get; set; } = 720;

    [Range(1, 120)]
    public int FrameRate { get; set; } = 30;

    /// <summary>Opacity of the logo watermark over the upload (0 invisible, 1 opaque).</summary>
    [Range(0.0, 1.0)]
    public double WatermarkOpacity { get; set; } = 0.7;

    /// <summary>How far into the upload's part the poster is taken, in seconds (at most half-way through it).</summary>
    [Range(0, 600)]
    public double PosterSeconds { get; set; } = 3;

    /// <summary>JPEG quality of the poster (mjpeg <c>-q:v</c>: 2 best, 31 worst).</summary>
    [Range(2, 31)]
    public int PosterQuality { get; set; } = 4;

    /// <summary>Threads ffmpeg may use for each decoder, the filter graph and the encoder.</summary>
    [Range(1, 64)]
    public int Threads { get; set; } = 2;

    /// <summary>
    /// Time limit of a transcode, in seconds of wall time per second of output (cards plus the kept part of
    /// the upload, as its header states); bench/RESULTS.md measured about 0.5 on 2 shared cores.
    /// </summary>
    [Range(0.1, 100)]
    public double TimeLimitPerOutputSecond { get; set; } = 4;

    /// <summary>Ceiling of the time limit, in seconds; past it ffmpeg is killed and the attempt fails.</summary>
    [Range(1, 3600)]
    public double MaxTimeLimitSeconds { get; set; } = 300;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Width % 2 != 0 || Height % 2 != 0)
        {
            yield return new ValidationResult(
                "Transcoder:Width and Transcoder:Height must be even (yuv420p).", [nameof(Width), nameof(Height)]);
        }
    }
}
