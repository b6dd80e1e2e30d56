using System.Globalization;

namespace Anb.Infrastructure.Media;

/// <summary>
/// Reads what ffmpeg writes with <c>-progress pipe:1</c> (<c>key=value</c> lines) and tells <paramref name="progress"/>
/// the share of <paramref name="outputSeconds"/> written so far, in whole percent, only when it grows.
/// </summary>
internal sealed class FfmpegProgress(double outputSeconds, IProgress<int> progress)
{
    private const string OutTime = "out_time_us=";
    private int last = -1;

    public void Add(string line)
    {
        if (!line.StartsWith(OutTime, StringComparison.Ordinal)
            || !long.TryParse(line.AsSpan(OutTime.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var microseconds))
        {
            return;
        }

        var percent = (int)Math.Clamp(Math.Floor(microseconds / 1e6 / outputSeconds * 100), 0, 100);
        if (percent > last)
        {
            last = percent;
            progress.Report(percent);
        }
    }
}
