using System.Globalization;
using System.Text.RegularExpressions;

namespace Anb.Infrastructure.Media;

/// <summary>
/// Reads ffmpeg's standard error as written with <c>-loglevel level+info</c>: keeps the last error lines
/// (without ffmpeg's context prefixes; untagged lines count as errors) and the frame size of the upload's first video stream (input #1),
/// as its decoder reported it.
/// </summary>
internal sealed partial class FfmpegLog
{
    private const int MaxErrors = 32;
    private readonly Queue<string> errors = new();
    private readonly Lock gate = new();
    private (int Width, int Height)? uploadFrame;

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return [.. errors];
            }
        }
    }

    public (int Width, int Height)? UploadFrame
    {
        get
        {
            lock (gate)
            {
                return uploadFrame;
            }
        }
    }

    public void Add(string line)
    {
        // ffmpeg tags every line it logs; an untagged one comes from elsewhere (setpriv failing to start it).
        var match = Line().Match(line);
        var text = match.Success ? match.Groups["text"].Value : line;
        lock (gate)
        {
            if (!match.Success || match.Groups["level"].Value is "error" or "fatal" or "panic")
            {
                if (errors.Count == MaxErrors)
                {
                    errors.Dequeue();
                }

                errors.Enqueue(text);
            }
            else if (uploadFrame is null && UploadVideoStream().Match(text) is { Success: true } stream)
            {
                uploadFrame = (
                    int.Parse(stream.Groups["w"].ValueSpan, CultureInfo.InvariantCulture),
                    int.Parse(stream.Groups["h"].ValueSpan, CultureInfo.InvariantCulture));
            }
        }
    }

    [GeneratedRegex(@"^(?:\[[^\]]+ @ 0x[0-9a-fA-F]+\] )?\[(?<level>[a-z]+)\] (?<text>.*)$")]
    private static partial Regex Line();

    [GeneratedRegex(@"^\s*Stream #1:\d+\S*: Video: .*?, (?<w>\d{1,5})x(?<h>\d{1,5})\b")]
    private static partial Regex UploadVideoStream();
}
