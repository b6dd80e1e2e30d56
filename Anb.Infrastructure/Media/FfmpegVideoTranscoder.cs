using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Anb.Application.Abstractions;
using Anb.Application.Videos.UploadVideo;
using FFMpegCore;
using FFMpegCore.Arguments;
using FFMpegCore.Enums;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Media;

/// <summary>
/// One ffmpeg run: the intro card, the first seconds of the upload fitted into the frame (black bars,
/// never stretched or cropped) under the logo watermark, and the outro card, joined by the concat
/// filter and encoded once with libx264; the same run writes the poster, one frame of the upload's part
/// (after the watermark) taken from the joined stream and encoded as JPEG. The output and the poster appear
/// only when the run succeeds.
/// ffmpeg runs contained (<see cref="FfmpegProcess"/>): a time limit proportional to the clip, only the
/// MP4/MOV demuxer and the <c>file</c> protocol on the upload, a bounded thread count. What it decoded
/// is checked against the upload rules the header claimed to meet.
/// </summary>
internal sealed partial class FfmpegVideoTranscoder(
    IOptions<TranscoderOptions> options,
    IOptions<UploadOptions> uploadRules,
    ILogger<FfmpegVideoTranscoder> logger) : IVideoTranscoder
{
    public const string IntroFileName = "anb-intro.png";
    public const string OutroFileName = "anb-outro.png";
    public const string LogoFileName = "anb-logo.png";

    private const int IntroInput = 0;
    private const int UploadInput = 1;
    private const int OutroInput = 2;
    private const int LogoInput = 3;
    private const int MaxReasonLength = 300;
    private const string PosterLabel = "poster";
    private const double DurationTolerance = 1;

    private readonly Mp4VideoProbe headerReader = new();

    public async Task TranscodeAsync(
        string inputPath, string outputPath, string posterPath, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.Value;
        var assets = Path.GetFullPath(settings.AssetsFolder);
        var job = new Job(
            Input: Path.GetFullPath(inputPath),
            Partial: PartialPathFor(Path.GetFullPath(outputPath)),
            PosterPartial: PartialPathFor(Path.GetFullPath(posterPath)),
            Intro: RequireAsset(assets, IntroFileName),
            Outro: RequireAsset(assets, OutroFileName),
            Logo: RequireAsset(assets, LogoFileName));
        if (!File.Exists(job.Input))
        {
            throw new VideoTranscodingException("The input file does not exist.");
        }

        var ffmpeg = GlobalFFOptions.GetFFMpegBinaryPath(FfmpegOptions(settings));
        var claimed = await ReadHeaderAsync(job.Input, cancellationToken);
        var timeLimit = TimeLimit(settings, claimed?.Duration);
        var output = Path.GetFullPath(outputPath);
        var poster = Path.GetFullPath(posterPath);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Directory.CreateDirectory(Path.GetDirectoryName(poster)!);
        var log = new FfmpegLog();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var progressReader = progress is null ? null : new FfmpegProgress(OutputSeconds(settings, claimed?.Duration), progress);
            var exitCode = await FfmpegProcess.RunAsync(
                ffmpeg,
                Arguments(settings, job, PosterFrame(settings, claimed?.Duration), progressReader is not null),
                timeLimit,
                log.Add,
                progressReader is null ? null : progressReader.Add,
                cancellationToken);
            if (exitCode is null)
            {
                LogTimedOut(logger, timeLimit.TotalSeconds);
                throw new VideoTranscodingTimeoutException(timeLimit);
            }

            if (exitCode != 0)
            {
                var reason = DescribeFailure(exitCode.Value, log.Errors, job, assets, inputPath);
                LogFailed(logger, exitCode.Value, reason);
                throw new VideoTranscodingException(reason);
            }

            await CheckDecodedAsync(settings, job, claimed, log.UploadFrame, cancellationToken);
            if (!File.Exists(job.PosterPartial))
            {
                throw new VideoTranscodingException("ffmpeg wrote no poster: the upload has fewer frames than its header claimed");
            }

            File.Move(job.PosterPartial, poster, overwrite: true);
            File.Move(job.Partial, output, overwrite: true);
            LogTranscoded(logger, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            DeletePartial(job.Partial);
            DeletePartial(job.PosterPartial);
        }
    }

    /// <summary>
    /// The whole command line: logging FFmpeg can be read back from (and its progress on standard output when
    /// asked), then FFMpegCore's arguments.
    /// </summary>
    private static string Arguments(TranscoderOptions settings, Job job, int posterFrame, bool reportProgress) =>
        string.Create(CultureInfo.InvariantCulture, $"-hide_banner -loglevel level+info -nostats -filter_complex_threads {settings.Threads} ")
        + (reportProgress ? "-progress pipe:1 " : string.Empty)
        + BuildCommand(settings, job, posterFrame).Arguments
        + PosterOutput(settings, job);

    /// <summary>The second output of the run: the <c>poster</c> label of the graph as one JPEG image.</summary>
    private static string PosterOutput(TranscoderOptions settings, Job job) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $" -map \"[{PosterLabel}]\" -frames:v 1 -c:v mjpeg -q:v {settings.PosterQuality} -f image2 -update 1 -threads {settings.Threads} \"{job.PosterPartial}\"");

    /// <summary>
    /// The frame of the output that becomes the poster: <see cref="TranscoderOptions.PosterSeconds"/> into the upload's
    /// part (at most half-way through it, as its header says), counted after the intro card's frames.
    /// </summary>
    internal static int PosterFrame(TranscoderOptions settings, TimeSpan? claimedDuration)
    {
        var main = Math.Min(claimedDuration?.TotalSeconds ?? 0, settings.MaxMainSeconds);
        var intoBody = Math.Min(settings.PosterSeconds, main / 2);
        return (int)Math.Round(settings.IntroSeconds * settings.FrameRate) + (int)Math.Floor(intoBody * settings.FrameRate);
    }

    private async Task<VideoProbeResult?> ReadHeaderAsync(string input, CancellationToken cancellationToken)
    {
        try
        {
            return await headerReader.ProbeAsync(input, cancellationToken);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A multiple of the output's length (cards plus the kept part of the upload, as its header says), capped.</summary>
    internal static TimeSpan TimeLimit(TranscoderOptions settings, TimeSpan? claimedDuration) =>
        TimeSpan.FromSeconds(Math.Min(
            OutputSeconds(settings, claimedDuration) * settings.TimeLimitPerOutputSecond, settings.MaxTimeLimitSeconds));

    /// <summary>The expected length of the output: cards plus the kept part of the upload, as its header says.</summary>
    private static double OutputSeconds(TranscoderOptions settings, TimeSpan? claimedDuration) =>
        settings.IntroSeconds
        + Math.Min(claimedDuration?.TotalSeconds ?? settings.MaxMainSeconds, settings.MaxMainSeconds)
        + settings.OutroSeconds;

    /// <summary>
    /// The API checked the upload rules on the header; here they are checked on what ffmpeg decoded, as far
    /// as the first seconds allow: a frame smaller, or a stream shorter, than the header claimed fails the video.
    /// </summary>
    private async Task CheckDecodedAsync(
        TranscoderOptions settings, Job job, VideoProbeResult? claimed, (int Width, int Height)? frame, CancellationToken cancellationToken)
    {
        if (claimed is null)
        {
            return;
        }

        var rules = uploadRules.Value;
        if (frame is { } decoded
            && Math.Min(decoded.Width, decoded.Height) < Math.Min(rules.MinShortSide, Math.Min(claimed.Width, claimed.Height)))
        {
            throw new DecodedVideoMismatchException(
                DecodedVideoRule.MinShortSide,
                rules.MinShortSide,
                string.Create(CultureInfo.InvariantCulture, $"decoded frames are {decoded.Width}x{decoded.Height}; the header claimed {claimed.Width}x{claimed.Height}"));
        }

        var written = await headerReader.ProbeAsync(job.Partial, cancellationToken)
            ?? throw new VideoTranscodingException("ffmpeg wrote an output that cannot be read");
        var decodedSeconds = written.Duration.TotalSeconds - settings.IntroSeconds - settings.OutroSeconds;
        var required = Math.Min(Math.Min(rules.MinDurationSeconds, settings.MaxMainSeconds), claimed.Duration.TotalSeconds);
        if (decodedSeconds < required - DurationTolerance)
        {
            throw new DecodedVideoMismatchException(
                DecodedVideoRule.MinDuration,
                rules.MinDurationSeconds,
                string.Create(CultureInfo.InvariantCulture, $"decoded {decodedSeconds:0.#} s; the header claimed {claimed.Duration.TotalSeconds:0.#} s"));
        }
    }

    private static FFMpegArgumentProcessor BuildCommand(TranscoderOptions settings, Job job, int posterFrame)
    {
        var inv = CultureInfo.InvariantCulture;
        var fit = string.Create(inv, $"{settings.Width}:{settings.Height}");
        var margin = settings.Height / 30;

        var contained = string.Create(inv, $"-protocol_whitelist file -threads {settings.Threads}");

        return FFMpegArguments
            .FromFileInput(job.Intro, o => Card(o.WithCustomArgument(contained), settings.FrameRate))
            .AddFileInput(job.Input, o => o
                .WithCustomArgument(contained)
                .ForceFormat("mov")
                .WithDuration(TimeSpan.FromSeconds(settings.MaxMainSeconds)))
            .AddFileInput(job.Outro, o => Card(o.WithCustomArgument(contained), settings.FrameRate))
            .AddFileInput(job.Logo, o => o.WithCustomArgument(contained))
            .OutputToFile(job.Partial, o => o
                .WithComplexFilter(graph => graph
                    .From(UploadInput, StreamType.Video)
                    .WithCustomFilter("setpts", "PTS-STARTPTS")
                    .WithCustomFilter("fps", settings.FrameRate.ToString(inv))
                    .WithCustomFilter("scale", "trunc(iw*sar/2)*2:ih")
                    .WithCustomFilter("setsar", "1")
                    .Letterbox(fit)
                    .As("main")
                    .From(LogoInput, StreamType.Video)
                    .WithCustomFilter("format", "rgba")
                    .WithCustomFilter("colorchannelmixer", string.Create(inv, $"aa={settings.WatermarkOpacity:0.###}"))
                    .As("logo")
                    .From("main")
                    .From("logo")
                    .Overlay(string.Create(inv, $"W-w-{margin}"), string.Create(inv, $"H-h-{margin}"))
                    .As("marked")
                    .From(IntroInput, StreamType.Video)
                    .Letterbox(fit)
                    .WithCustomFilter("format", "yuv420p")
                    .HoldFor(settings.IntroSeconds, settings.FrameRate)
                    .As("intro")
                    .From(OutroInput, StreamType.Video)
                    .Letterbox(fit)
                    .WithCustomFilter("format", "yuv420p")
                    .HoldFor(settings.OutroSeconds, settings.FrameRate)
                    .As("outro")
                    .From("intro")
                    .From("marked")
                    .From("outro")
                    .Concat(segments: 3, videoStreams: 1, audioStreams: 0)
                    .WithCustomFilter("split", "2")
                    .As("v", "frames")
                    .From("frames")
                    .WithCustomFilter("trim", string.Create(inv, $"start_frame={posterFrame}:end_frame={posterFrame + 1}"))
                    .WithCustomFilter("format", "yuvj420p")
                    .As(PosterLabel))
                .WithMap("v")
                .DisableAudio()
                .WithVideoCodec("libx264")
                .WithSpeedPreset(settings.Preset)
                .WithConstantRateFactor(settings.Crf)
                .WithCustomArgument("-pix_fmt yuv420p")
                .WithFastStart()
                .ForceFormat("mp4")
                .WithCustomArgument(string.Create(inv, $"-threads {settings.Threads}"))
                .WithCustomArgument("-xerror"));
    }

    /// <summary>FFMpegCore quietly falls back to PATH when the configured folder has no ffmpeg; refuse that.</summary>
    private static FFOptions FfmpegOptions(TranscoderOptions settings)
    {
        var ffOptions = new FFOptions { BinaryFolder = settings.BinaryFolder };
        return string.IsNullOrEmpty(settings.BinaryFolder) || File.Exists(GlobalFFOptions.GetFFMpegBinaryPath(ffOptions))
            ? ffOptions
            : throw new InvalidOperationException(
                $"No ffmpeg binary in {settings.BinaryFolder} (Transcoder:BinaryFolder); leave it empty to use PATH.");
    }

    /// <summary>
    /// A card is read once, as one frame (<c>-loop 1</c> would decode the PNG again for every frame); the graph
    /// fits it into the frame once and repeats the result (<see cref="FilterChainExtensions.HoldFor"/>).
    /// </summary>
    private static void Card(FFMpegInputOptions input, int frameRate) =>
        input.WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-framerate {frameRate}"));

    private static string RequireAsset(string folder, string fileName)
    {
        var path = Path.Combine(folder, fileName);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"Transcoder asset {fileName} is missing from {folder} (Transcoder:AssetsFolder).");
    }

    private static string PartialPathFor(string output) =>
        Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.partial");

    private void DeletePartial(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            LogCleanupFailed(logger, ex, path);
        }
    }

    /// <summary>The last errors ffmpeg printed, without this server's paths or ffmpeg's context prefixes.</summary>
    private static string DescribeFailure(int exitCode, IReadOnlyList<string> errors, Job job, string assets, string inputAsGiven)
    {
        var replacements = new (string Path, string Name)[]
        {
            (job.Partial, "output"), (job.PosterPartial, "poster"), (job.Input, "input"), (inputAsGiven, "input"), (assets, "assets"),
        };
        var lines = errors
            .Select(line => Clean(line, replacements))
            .Where(line => line.Length > 0 && !line.StartsWith("Conversion failed", StringComparison.Ordinal))
            .Distinct()
            .TakeLast(2)
            .ToList();
        var reason = lines.Count > 0 ? string.Join("; ", lines) : "no error output";
        var message = string.Create(CultureInfo.InvariantCulture, $"ffmpeg failed (exit code {exitCode}): {reason}");
        return message.Length <= MaxReasonLength ? message : message[..MaxReasonLength];
    }

    private static string Clean(string line, (string Path, string Name)[] replacements)
    {
        var cleaned = line.Trim();
        foreach (var (path, name) in replacements.OrderByDescending(r => r.Path.Length))
        {
            cleaned = cleaned.Replace(path, name, StringComparison.Ordinal);
        }

        return cleaned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transcoded in {ElapsedSeconds:F1} s")]
    private static partial void LogTranscoded(ILogger logger, double elapsedSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg passed its time limit of {LimitSeconds:F0} s and was killed")]
    private static partial void LogTimedOut(ILogger logger, double limitSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg exited with code {ExitCode}: {Reason}")]
    private static partial void LogFailed(ILogger logger, int exitCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the partial output {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);

    private sealed record Job(string Input, string Partial, string PosterPartial, string Intro, string Outro, string Logo);
}
