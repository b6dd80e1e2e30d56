using System.Globalization;
using FFMpegCore.Arguments;

namespace Anb.Infrastructure.Media;

internal static class FilterChainExtensions
{
    /// <summary>Fits the stream inside <paramref name="size"/> (<c>W:H</c>) without stretching, pads it with black bars and squares its pixels.</summary>
    public static ComplexFilterChain Letterbox(this ComplexFilterChain chain, string size) => chain
        .WithCustomFilter("scale", $"{size}:force_original_aspect_ratio=decrease:force_divisible_by=2")
        .WithCustomFilter("pad", $"{size}:(ow-iw)/2:(oh-ih)/2:black")
        .WithCustomFilter("setsar", "1");

    /// <summary>
    /// Turns a single frame into <paramref name="seconds"/> of video at <paramref name="frameRate"/>: the frame is
    /// repeated inside the graph (no new decode or scale per frame) and the copies are timed one frame apart.
    /// </summary>
    public static ComplexFilterChain HoldFor(this ComplexFilterChain chain, double seconds, int frameRate)
    {
        var frames = Math.Max(1, (int)Math.Round(seconds * frameRate));
        return chain
            .WithCustomFilter("loop", string.Create(CultureInfo.InvariantCulture, $"loop={frames - 1}:size=1:start=0"))
            .WithCustomFilter("setpts", string.Create(CultureInfo.InvariantCulture, $"N/{frameRate}/TB"));
    }
}
