using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Anb.Application.Abstractions;
using FFMpegCore;
using FFMpegCore.Arguments;
using FFMpegCore.Enums;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Media;

/// <summary>
/// One ffmpeg run: the intro card, the first seconds of the upload fitted into the frame (black bars,
/// never stretched or cropped) under the logo watermark, and the outro card, joined by the concat
/// filter and encoded once with libx264. The output appears only when the run succeeds.
/// </summary>
internal sealed partial class FfmpegVideoTranscoder(
    IOptions<TranscoderOptions> options,
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

    public async Task TranscodeAsync(string inputPath, string outputPath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.Value;
        var assets = Path.GetFullPath(settings.AssetsFolder);
        var job = new Job(
            Input: Path.GetFullPath(inputPath),
            Partial: PartialPathFor(Path.GetFullPath(outputPath)),
            Intro: RequireAsset(assets, IntroFileName),
            Outro: RequireAsset(assets, OutroFileName),
            Logo: RequireAsset(assets, LogoFileName));
        if (!File.Exists(job.Input))
        {
            throw new VideoTranscodingException("The input file does not exist.");
        }

        var ffOptions = FfmpegOptions(settings);
        var output = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await BuildCommand(settings, job)
                .WithLogLevel(FFMpegLogLevel.Error)
                .CancellableThrough(cancellationToken, TimeSpan.Zero)
                .ProcessAsynchronously(throwOnError: false, ffOptions);

            if (result.Cancelled || (!result.Success && cancellationToken.IsCancellationRequested))
            {
                throw new OperationCanceledException(cancellationToken);
            }

            if (!result.Success)
            {
                var reason = DescribeFailure(result, job, assets, inputPath);
                LogFailed(logger, result.ExitCode, reason);
                throw new VideoTranscodingException(reason);
            }

            File.Move(job.Partial, output, overwrite: true);
            LogTranscoded(logger, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            DeletePartial(job.Partial);
        }
    }

    private static FFMpegArgumentProcessor BuildCommand(TranscoderOptions settings, Job job)
    {
        var inv = CultureInfo.InvariantCulture;
        var fit = string.Create(inv, $"{settings.Width}:{settings.Height}");
        var margin = settings.Height / 30;

        return FFMpegArguments
            .FromFileInput(job.Intro, o => Card(o, settings.FrameRate, settings.IntroSeconds))
            .AddFileInput(job.Input, o => o.WithDuration(TimeSpan.FromSeconds(settings.MaxMainSeconds)))
            .AddFileInput(job.Outro, o => Card(o, settings.FrameRate, settings.OutroSeconds))
            .AddFileInput(job.Logo)
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
                    .As("intro")
                    .From(OutroInput, StreamType.Video)
                    .Letterbox(fit)
                    .WithCustomFilter("format", "yuv420p")
                    .As("outro")
                    .From("intro")
                    .From("marked")
                    .From("outro")
                    .Concat(segments: 3, videoStreams: 1, audioStreams: 0)
                    .As("v"))
                .WithMap("v")
                .DisableAudio()
                .WithVideoCodec("libx264")
                .WithSpeedPreset(settings.Preset)
                .WithConstantRateFactor(settings.Crf)
                .WithCustomArgument("-pix_fmt yuv420p")
                .WithFastStart()
                .ForceFormat("mp4")
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

    private static void Card(FFMpegInputOptions input, int frameRate, double seconds) =>
        input
            .WithLoop()
            .WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-framerate {frameRate}"))
            .WithDuration(TimeSpan.FromSeconds(seconds));

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

    /// <summary>The last lines ffmpeg printed, without this server's paths or ffmpeg's context prefixes.</summary>
    private static string DescribeFailure(FFMpegResult result, Job job, string assets, string inputAsGiven)
    {
        var replacements = new (string Path, string Name)[]
        {
            (job.Partial, "output"), (job.Input, "input"), (inputAsGiven, "input"), (assets, "assets"),
        };
        var lines = result.StandardError
            .Select(line => Clean(line, replacements))
            .Where(line => line.Length > 0 && !line.StartsWith("Conversion failed", StringComparison.Ordinal))
            .Distinct()
            .TakeLast(2)
            .ToList();
        var reason = lines.Count > 0 ? string.Join("; ", lines) : "no error output";
        var message = string.Create(CultureInfo.InvariantCulture, $"ffmpeg failed (exit code {result.ExitCode}): {reason}");
        return message.Length <= MaxReasonLength ? message : message[..MaxReasonLength];
    }

    private static string Clean(string line, (string Path, string Name)[] replacements)
    {
        var cleaned = ContextPrefix().Replace(line, string.Empty).Trim();
        foreach (var (path, name) in replacements.OrderByDescending(r => r.Path.Length))
        {
            cleaned = cleaned.Replace(path, name, StringComparison.Ordinal);
        }

        return cleaned;
    }

    [GeneratedRegex(@"^\[[^\]]+ @ 0x[0-9a-fA-F]+\]\s*")]
    private static partial Regex ContextPrefix();

    [LoggerMessage(Level = LogLevel.Information, Message = "Transcoded in {ElapsedSeconds:F1} s")]
    private static partial void LogTranscoded(ILogger logger, double elapsedSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg exited with code {ExitCode}: {Reason}")]
    private static partial void LogFailed(ILogger logger, int exitCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the partial output {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);

    private sealed record Job(string Input, string Partial, string Intro, string Outro, string Logo);
}
