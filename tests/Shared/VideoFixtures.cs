using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Anb.Tests.Shared;

/// <summary>
/// Test clips made with the ffmpeg CLI (testsrc2 picture, 440 Hz tone) and cached per process, plus
/// ffprobe/ffmpeg helpers to check outputs. Self-contained so other test projects can link this file.
/// </summary>
public static class VideoFixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Clips = new();
    private static readonly Lazy<string> CacheFolder = new(CreateCacheFolder);

    /// <summary>A folder of this process for clips and scratch files; deleted when the process exits.</summary>
    public static string Folder => CacheFolder.Value;

    /// <summary>
    /// An H.264 (+ AAC) MP4; <paramref name="sar"/> like "4:3" makes non-square pixels; <paramref name="codec"/>
    /// picks another video codec (see <see cref="ClipAsync"/>).
    /// </summary>
    public static Task<string> Mp4Async(
        int width,
        int height,
        double seconds,
        bool faststart = false,
        string? sar = null,
        bool audio = true,
        int rotate = 0,
        string codec = "h264") =>
        ClipAsync(width, height, seconds, "mp4", faststart, sar, audio, rotate, codec);

    /// <summary>A VP8 + Opus WebM.</summary>
    public static Task<string> WebMAsync(int width, int height, double seconds) =>
        ClipAsync(width, height, seconds, "webm");

    /// <summary>
    /// A clip in <paramref name="container"/> "mp4", "mov" (QuickTime brand) or "webm"; made once per process. In
    /// MP4 or MOV the video is <paramref name="codec"/>: "h264" (tagged avc1), "avc3", "hevc" (libx265, tagged
    /// hev1), "hvc1", "mpeg4" (MPEG-4 part 2) or "vp9".
    /// </summary>
    public static Task<string> ClipAsync(
        int width,
        int height,
        double seconds,
        string container = "mp4",
        bool faststart = false,
        string? sar = null,
        bool audio = true,
        int rotate = 0,
        string codec = "h264")
    {
        if (container is not ("mp4" or "mov" or "webm"))
        {
            throw new ArgumentOutOfRangeException(nameof(container), container, "mp4, mov or webm");
        }

        if (codec is not ("h264" or "avc3" or "hevc" or "hvc1" or "mpeg4" or "vp9"))
        {
            throw new ArgumentOutOfRangeException(nameof(codec), codec, "h264, avc3, hevc, hvc1, mpeg4 or vp9");
        }

        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{width}x{height}-{seconds:0.###}s{(faststart ? "-faststart" : "")}{(sar is null ? "" : "-sar" + sar.Replace(':', '_'))}{(audio ? "" : "-mute")}{(rotate == 0 ? "" : "-rot" + rotate)}{(codec == "h264" ? "" : "-" + codec)}.{container}");
        return Clips.GetOrAdd(name, key => new Lazy<Task<string>>(() => GenerateAsync(
            Path.Combine(Folder, key), width, height, seconds, container, faststart, sar, audio, rotate, codec))).Value;
    }

    /// <summary>A text file with an .mp4 name.</summary>
    public static async Task<string> TextAsMp4Async()
    {
        var path = NewScratchPath(".mp4");
        await File.WriteAllTextAsync(path, "This is a text file that was renamed to .mp4, not a video.\n");
        return path;
    }

    /// <summary>An empty file with an .mp4 name.</summary>
    public static async Task<string> EmptyMp4Async()
    {
        var path = NewScratchPath(".mp4");
        await File.WriteAllBytesAsync(path, []);
        return path;
    }

    /// <summary>Random bytes with an .mp4 name.</summary>
    public static async Task<string> GarbageAsMp4Async(int length = 64 * 1024)
    {
        var path = NewScratchPath(".mp4");
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>A copy of the first <paramref name="length"/> bytes of <paramref name="source"/>.</summary>
    public static async Task<string> TruncatedCopyAsync(string source, long length)
    {
        var path = NewScratchPath(Path.GetExtension(source));
        await using var input = File.OpenRead(source);
        await using var output = File.Create(path);
        var buffer = new byte[81920];
        for (var left = length; left > 0;)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
            if (read == 0)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, read));
            left -= read;
        }

        return path;
    }

    /// <summary>A copy of the first <paramref name="fraction"/> of <paramref name="source"/>'s bytes.</summary>
    public static Task<string> TruncatedCopyAsync(string source, double fraction) =>
        TruncatedCopyAsync(source, (long)(new FileInfo(source).Length * fraction));

    /// <summary>A new path in the scratch folder (nothing is created).</summary>
    public static string NewScratchPath(string extension = ".mp4") =>
        Path.Combine(Folder, $"scratch-{Guid.NewGuid():N}{extension}");

    /// <summary>What ffprobe reads from the first video stream and the container.</summary>
    public static async Task<MediaInfo> ProbeAsync(string path)
    {
        var json = await RunAsync(
            "ffprobe",
            "-v", "error", "-show_entries",
            "stream=codec_type,codec_name,width,height,pix_fmt,sample_aspect_ratio,r_frame_rate,nb_frames:format=duration,format_name",
            "-of", "json", path);
        using var document = JsonDocument.Parse(json);
        var streams = document.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "video");
        var format = document.RootElement.GetProperty("format");
        return new MediaInfo(
            Codec: video.ValueKind == JsonValueKind.Object ? video.GetProperty("codec_name").GetString() : null,
            Width: video.ValueKind == JsonValueKind.Object ? video.GetProperty("width").GetInt32() : 0,
            Height: video.ValueKind == JsonValueKind.Object ? video.GetProperty("height").GetInt32() : 0,
            PixelFormat: video.ValueKind == JsonValueKind.Object ? video.GetProperty("pix_fmt").GetString() : null,
            SampleAspectRatio: video.ValueKind == JsonValueKind.Object && video.TryGetProperty("sample_aspect_ratio", out var sar)
                ? sar.GetString()
                : null,
            FrameRate: video.ValueKind == JsonValueKind.Object ? video.GetProperty("r_frame_rate").GetString() : null,
            Duration: format.TryGetProperty("duration", out var duration)
                ? TimeSpan.FromSeconds(double.Parse(duration.GetString()!, CultureInfo.InvariantCulture))
                : TimeSpan.Zero,
            HasAudio: streams.Any(s => s.GetProperty("codec_type").GetString() == "audio"),
            FormatName: format.GetProperty("format_name").GetString());
    }

    /// <summary>The luma (gray, 8 bit) of the frame at <paramref name="at"/>, row by row; also works on a PNG or JPEG (at zero).</summary>
    public static async Task<GrayFrame> GrayFrameAsync(string path, TimeSpan at)
    {
        var info = await ProbeAsync(path);
        // A seek, even to zero, finds no frame in a single JPEG image: seek only when asked to.
        string[] seek = at > TimeSpan.Zero ? ["-ss", at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)] : [];
        var bytes = await RunBinaryAsync(
            "ffmpeg",
            ["-v", "error", .. seek, "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"]);
        return bytes.Length == info.Width * info.Height
            ? new GrayFrame(info.Width, info.Height, bytes)
            : throw new InvalidOperationException($"expected {info.Width}x{info.Height} gray bytes, got {bytes.Length}");
    }

    /// <summary>Runs a program and returns its standard output; throws with its standard error on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments) =>
        Encoding.UTF8.GetString(await RunBinaryAsync(program, arguments));

    private static async Task<byte[]> RunBinaryAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(copy, stderr, process.WaitForExitAsync());
        return process.ExitCode == 0
            ? stdout.ToArray()
            : throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
    }

    private static async Task<string> GenerateAsync(
        string path, int width, int height, double seconds, string container, bool faststart, string? sar, bool audio, int rotate, string codec)
    {
        var inv = CultureInfo.InvariantCulture;
        var duration = seconds.ToString("0.###", inv);
        var args = new List<string>
        {
            "-v", "error", "-y",
            "-f", "lavfi", "-i", string.Create(inv, $"testsrc2=size={width}x{height}:rate=30:duration={duration}"),
        };
        if (audio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:duration={duration}"]);
        }

        if (sar is not null)
        {
            args.AddRange(["-vf", $"setsar={sar.Replace(':', '/')}"]);
        }

        if (container == "webm")
        {
            args.AddRange(["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k", "-pix_fmt", "yuv420p"]);
            args.AddRange(audio ? ["-c:a", "libopus"] : ["-an"]);
        }
        else
        {
            args.AddRange(codec switch
            {
                "hevc" or "hvc1" => ["-c:v", "libx265", "-preset", "ultrafast", "-crf", "35", "-x265-params", "log-level=error"],
                "mpeg4" => ["-c:v", "mpeg4", "-q:v", "10"],
                "vp9" => ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k"],
                _ => ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "35"],
            });
            args.AddRange(["-pix_fmt", "yuv420p"]);
            if (codec is "avc3" or "hvc1")
            {
                args.AddRange(["-tag:v", codec]);
            }

            args.AddRange(audio ? ["-c:a", "aac"] : ["-an"]);
            if (faststart)
            {
                args.AddRange(["-movflags", "+faststart"]);
            }

        }

        var partial = path + ".partial";
        args.AddRange(["-shortest", "-f", container, partial]);
        await RunAsync("ffmpeg", [.. args]);
        if (rotate != 0)
        {
            await SetRotationAsync(partial, rotate);
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Writes a 90/180/270 degree display matrix into the first track's tkhd, as phones do for portrait
    /// recordings (FFmpeg 5.1's CLI cannot set one).
    /// </summary>
    private static async Task SetRotationAsync(string path, int degrees)
    {
        var (cos, sin) = degrees switch
        {
            90 => (0, 1),
            180 => (-1, 0),
            270 => (0, -1),
            _ => throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "90, 180 or 270"),
        };
        var bytes = await File.ReadAllBytesAsync(path);
        var tkhd = bytes.AsSpan().IndexOf("tkhd"u8);
        if (tkhd < 0)
        {
            throw new InvalidOperationException("no tkhd box");
        }

        var matrix = tkhd + 4 + (bytes[tkhd + 4] == 1 ? 52 : 40);
        int[] values = [cos << 16, sin << 16, 0, -sin << 16, cos << 16, 0, 0, 0, 1 << 30];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(matrix + (i * 4)), values[i]);
        }

        await File.WriteAllBytesAsync(path, bytes);
    }

    /// <summary>
    /// The test host may be killed rather than exit, so folders left by processes that are gone are
    /// removed here too.
    /// </summary>
    private static string CreateCacheFolder()
    {
        const string prefix = "anb-video-fixtures-";
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(stale)[prefix.Length..], out var pid) && !IsRunning(pid))
            {
                TryDelete(stale);
            }
        }

        var folder = Path.Combine(Path.GetTempPath(), prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>What <see cref="ProbeAsync"/> reads.</summary>
    public sealed record MediaInfo(
        string? Codec,
        int Width,
        int Height,
        string? PixelFormat,
        string? SampleAspectRatio,
        string? FrameRate,
        TimeSpan Duration,
        bool HasAudio,
        string? FormatName);

    /// <summary>An 8-bit luma frame.</summary>
    public sealed record GrayFrame(int Width, int Height, byte[] Luma)
    {
        public byte At(int x, int y) => Luma[(y * Width) + x];

        /// <summary>Mean luma of the rectangle [x0, x1) x [y0, y1).</summary>
        public double Mean(int x0, int y0, int x1, int y1)
        {
            long sum = 0;
            for (var y = y0; y < y1; y++)
            {
                for (var x = x0; x < x1; x++)
                {
                    sum += At(x, y);
                }
            }

            return (double)sum / ((x1 - x0) * (y1 - y0));
        }

        /// <summary>How many pixels of the rectangle [x0, x1) x [y0, y1) match <paramref name="predicate"/>.</summary>
        public int Count(int x0, int y0, int x1, int y1, Func<byte, bool> predicate)
        {
            var count = 0;
            for (var y = y0; y < y1; y++)
            {
                for (var x = x0; x < x1; x++)
                {
                    count += predicate(At(x, y)) ? 1 : 0;
                }
            }

            return count;
        }

        /// <summary>Mean luma of each column over rows [y0, y1).</summary>
        public double[] ColumnMeans(int y0, int y1) =>
            Enumerable.Range(0, Width).Select(x => Mean(x, y0, x + 1, y1)).ToArray();
    }
}
