using FFMpegCore.Arguments;

namespace Anb.Infrastructure.Media;

internal static class FilterChainExtensions
{
    /// <summary>Fits the stream inside <paramref name="size"/> (<c>W:H</c>) without stretching, pads it with black bars and squares its pixels.</summary>
    public static ComplexFilterChain Letterbox(this ComplexFilterChain chain, string size) => chain
        .WithCustomFilter("scale", $"{size}:force_original_aspect_ratio=decrease:force_divisible_by=2")
        .WithCustomFilter("pad", $"{size}:(ow-iw)/2:(oh-ih)/2:black")
        .WithCustomFilter("setsar", "1");
}
