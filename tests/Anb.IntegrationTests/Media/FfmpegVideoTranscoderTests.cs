using Anb.Application.Abstractions;
using Anb.Application.Videos.UploadVideo;
using Anb.Infrastructure.Media;
using Anb.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Anb.IntegrationTests.Media;

public sealed class FfmpegVideoTranscoderTests
{
    private const double Tolerance = 0.5;
    private const double BlackLuma = 24;

    [Fact]
    public async Task Transcode_40sLandscape1080p_Gives35s720pH264WithoutAudio()
    {
        var input = await VideoFixtures.Mp4Async(1920, 1080, 40);
        var output = NewOutputPath();
        var poster = Path.ChangeExtension(output, ".jpg");

        await CreateTranscoder().TranscodeAsync(input, output, poster, null, CancellationToken.None);

        var info = await VideoFixtures.ProbeAsync(output);
        Assert.Equal("h264", info.Codec);
        Assert.Equal((1280, 720), (info.Width, info.Height));
        Assert.Equal("yuv420p", info.PixelFormat);
        Assert.Equal("30/1", info.FrameRate);
        Assert.False(info.HasAudio);
        Assert.InRange(info.Duration.TotalSeconds, 35 - Tolerance, 35 + Tolerance);
        Assert.Equal(
            [Path.GetFileName(poster), Path.GetFileName(output)],
            Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Transcode_22sClip_Gives27sBetweenTheIntroAndOutroCards()
    {
        var input = await VideoFixtures.Mp4Async(640, 360, 22, faststart: true);
        var output = NewOutputPath();

        await CreateTranscoder().TranscodeAsync(input, output, NewPosterPath(), null, CancellationToken.None);

        var info = await VideoFixtures.ProbeAsync(output);
        Assert.InRange(info.Duration.TotalSeconds, 27 - Tolerance, 27 + Tolerance);
        var intro = await VideoFixtures.GrayFrameAsync(AssetPath(FfmpegVideoTranscoder.IntroFileName), TimeSpan.Zero);
        var outro = await VideoFixtures.GrayFrameAsync(AssetPath(FfmpegVideoTranscoder.OutroFileName), TimeSpan.Zero);
        Assert.InRange(MeanDifference(await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(1.2)), intro), 0, 6);
        Assert.InRange(MeanDifference(await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(10)), intro), 30, 255);
        Assert.InRange(MeanDifference(await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(26)), outro), 0, 6);
    }

    [Fact]
    public async Task Transcode_WritesAJpegPosterOfTheClipsBody_NotOfTheIntroCard()
    {
        var input = await VideoFixtures.Mp4Async(640, 360, 22, faststart: true);
        var output = NewOutputPath();
        var poster = NewPosterPath();

        await CreateTranscoder().TranscodeAsync(input, output, poster, null, CancellationToken.None);

        Assert.Equal([0xFF, 0xD8, 0xFF], (await File.ReadAllBytesAsync(poster))[..3]); // JPEG start of image
        var info = await VideoFixtures.ProbeAsync(poster);
        Assert.Equal(("mjpeg", 1280, 720), (info.Codec, info.Width, info.Height));
        var image = await VideoFixtures.GrayFrameAsync(poster, TimeSpan.Zero);
        // PosterSeconds (3) into the clip, after the 2.5 s intro card.
        var body = await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(5.5));
        var intro = await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(1));
        Assert.InRange(MeanDifference(image, body), 0, 6);
        Assert.InRange(MeanDifference(image, intro), 30, 255);
    }

    [Fact]
    public async Task Transcode_ReportsGrowingProgressUpToTheWholeOutput()
    {
        var input = await VideoFixtures.Mp4Async(640, 360, 22, faststart: true);
        var progress = new RecordedProgress();

        await CreateTranscoder().TranscodeAsync(input, NewOutputPath(), NewPosterPath(), progress, CancellationToken.None);

        var values = progress.Values;
        Assert.True(values.Count >= 2, $"reported {string.Join(", ", values)}");
        Assert.Equal(values.Distinct().Order(), values);
        Assert.InRange(values[0], 0, 90);
        Assert.InRange(values[^1], 95, 100);
    }

    [Fact]
    public async Task Transcode_Portrait_LetterboxesWithBlackBarsLeftAndRightWithoutStretching()
    {
        var input = await VideoFixtures.Mp4Async(1080, 1920, 4);
        var output = NewOutputPath();

        await CreateTranscoder().TranscodeAsync(input, output, NewPosterPath(), null, CancellationToken.None);

        var info = await VideoFixtures.ProbeAsync(output);
        Assert.Equal((1280, 720), (info.Width, info.Height));
        var frame = await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(4));
        var columns = frame.ColumnMeans(0, 600);
        var picture = Enumerable.Range(0, frame.Width).Where(x => columns[x] > BlackLuma).ToList();
        // 1080x1920 fitted into 720 rows is 405 columns wide (404 after rounding to even), centred.
        Assert.InRange(picture.Count, 398, 410);
        Assert.InRange(picture[0], 434, 442);
        Assert.InRange(picture[^1], 838, 846);
        Assert.Equal(picture.Count, picture[^1] - picture[0] + 1);
        Assert.InRange(frame.Mean(0, 0, 430, 720), 0, BlackLuma);
        Assert.InRange(frame.Mean(850, 0, 1280, 600), 0, BlackLuma);
        // The watermark sits in the bottom-right corner, here over the right-hand bar.
        Assert.InRange(frame.Count(1044, 616, 1256, 696, luma => luma > 128), 1000, 212 * 80);
    }

    [Fact]
    public async Task Transcode_PhoneClipRotated90_IsShownUprightBetweenBlackBars()
    {
        var input = await VideoFixtures.Mp4Async(1920, 1080, 3, rotate: 90);
        var output = NewOutputPath();

        await CreateTranscoder().TranscodeAsync(input, output, NewPosterPath(), null, CancellationToken.None);

        var frame = await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(4));
        var columns = frame.ColumnMeans(0, 600);
        Assert.InRange(columns.Count(mean => mean > BlackLuma), 398, 410);
        Assert.InRange(frame.Mean(0, 0, 430, 720), 0, BlackLuma);
    }

    [Fact]
    public async Task Transcode_NonSquarePixels_FillsTheFrameAtTheDisplayAspectRatio()
    {
        // 1440x1080 with 4:3 pixels displays as 1920x1080 (16:9): it must fill 1280x720 with no bars.
        var input = await VideoFixtures.Mp4Async(1440, 1080, 3, sar: "4:3");
        var output = NewOutputPath();

        await CreateTranscoder().TranscodeAsync(input, output, NewPosterPath(), null, CancellationToken.None);

        var info = await VideoFixtures.ProbeAsync(output);
        Assert.Equal((1280, 720), (info.Width, info.Height));
        Assert.Equal("1:1", info.SampleAspectRatio);
        var frame = await VideoFixtures.GrayFrameAsync(output, TimeSpan.FromSeconds(4));
        Assert.InRange(frame.Mean(0, 0, 8, 600), BlackLuma, 255);
        Assert.InRange(frame.Mean(1272, 0, 1280, 600), BlackLuma, 255);
    }

    [Theory]
    [InlineData("faststart cut inside the media data")]
    [InlineData("index at the end, cut off")]
    [InlineData("text renamed .mp4")]
    [InlineData("empty file")]
    public async Task Transcode_CorruptInput_ThrowsVideoTranscodingExceptionAndWritesNothing(string kind)
    {
        var input = kind switch
        {
            "faststart cut inside the media data" =>
                await VideoFixtures.TruncatedCopyAsync(await VideoFixtures.Mp4Async(640, 360, 8, faststart: true), 0.6),
            "index at the end, cut off" =>
                await VideoFixtures.TruncatedCopyAsync(await VideoFixtures.Mp4Async(640, 360, 8), 0.6),
            "text renamed .mp4" => await VideoFixtures.TextAsMp4Async(),
            _ => await VideoFixtures.EmptyMp4Async(),
        };
        var output = NewOutputPath();

        var ex = await Assert.ThrowsAsync<VideoTranscodingException>(
            () => CreateTranscoder().TranscodeAsync(input, output, NewPosterPath(), null, CancellationToken.None));

        Assert.StartsWith("ffmpeg failed", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(VideoFixtures.Folder, ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Transcode_FailureOverAnExistingOutput_LeavesItUntouched()
    {
        var output = NewOutputPath();
        await File.WriteAllTextAsync(output, "previous");

        await Assert.ThrowsAsync<VideoTranscodingException>(
            async () => await CreateTranscoder().TranscodeAsync(await VideoFixtures.TextAsMp4Async(), output, NewPosterPath(), null, CancellationToken.None));

        Assert.Equal("previous", await File.ReadAllTextAsync(output));
        Assert.Single(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Transcode_MissingInput_ThrowsVideoTranscodingException()
    {
        var output = NewOutputPath();

        await Assert.ThrowsAsync<VideoTranscodingException>(
            () => CreateTranscoder().TranscodeAsync(VideoFixtures.NewScratchPath(), output, NewPosterPath(), null, CancellationToken.None));

        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Transcode_Cancelled_KillsFfmpegAndLeavesNothing()
    {
        var input = await VideoFixtures.Mp4Async(1920, 1080, 40);
        var output = NewOutputPath();
        var folder = Path.GetDirectoryName(output)!;
        using var cancellation = new CancellationTokenSource();

        var run = CreateTranscoder(preset: "veryfast").TranscodeAsync(input, output, NewPosterPath(), null, cancellation.Token);
        var ffmpeg = await WaitForFfmpegWritingIntoAsync(folder, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(await ExitsWithinAsync(ffmpeg, TimeSpan.FromSeconds(2)), $"ffmpeg {ffmpeg} still running");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Transcode_AlreadyCancelled_StartsNothing()
    {
        var output = NewOutputPath();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => CreateTranscoder().TranscodeAsync(VideoFixtures.NewScratchPath(), output, NewPosterPath(), null, new CancellationToken(canceled: true)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Transcode_MissingAssets_ThrowsInvalidOperation()
    {
        var transcoder = CreateTranscoder(assetsFolder: Path.Combine(VideoFixtures.Folder, "no-assets-here"));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => transcoder.TranscodeAsync(VideoFixtures.NewScratchPath(), NewOutputPath(), NewPosterPath(), null, CancellationToken.None));
    }

    [Fact]
    public async Task Transcode_BinaryFolderWithoutFfmpeg_ThrowsInvalidOperationInsteadOfUsingPath()
    {
        var transcoder = CreateTranscoder(binaryFolder: VideoFixtures.Folder);

        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await transcoder.TranscodeAsync(await VideoFixtures.TextAsMp4Async(), NewOutputPath(), NewPosterPath(), null, CancellationToken.None));
    }

    internal static FfmpegVideoTranscoder CreateTranscoder(
        string preset = "ultrafast", string? assetsFolder = null, string? binaryFolder = null, double? maxTimeLimitSeconds = null)
    {
        var options = new TranscoderOptions { Preset = preset, BinaryFolder = binaryFolder ?? string.Empty };
        if (assetsFolder is not null)
        {
            options.AssetsFolder = assetsFolder;
        }

        if (maxTimeLimitSeconds is not null)
        {
            options.MaxTimeLimitSeconds = maxTimeLimitSeconds.Value;
        }

        return new FfmpegVideoTranscoder(
            Options.Create(options), Options.Create(new UploadOptions()), NullLogger<FfmpegVideoTranscoder>.Instance);
    }

    internal static string NewPosterPath() => Path.Combine(Path.GetDirectoryName(NewOutputPath())!, "poster.jpg");

    internal static string NewOutputPath()
    {
        var folder = Path.Combine(VideoFixtures.Folder, $"out-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "processed.mp4");
    }

    private static string AssetPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "Assets", fileName);

    private static double MeanDifference(VideoFixtures.GrayFrame a, VideoFixtures.GrayFrame b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        return a.Luma.Zip(b.Luma, (x, y) => Math.Abs(x - y)).Average();
    }

    internal static async Task<int> WaitForFfmpegWritingIntoAsync(string folder, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid))
                {
                    continue;
                }

                try
                {
                    var commandLine = await File.ReadAllTextAsync(Path.Combine(proc, "cmdline"));
                    if (commandLine.StartsWith("ffmpeg", StringComparison.Ordinal) || commandLine.Contains("/ffmpeg\0", StringComparison.Ordinal))
                    {
                        if (commandLine.Contains(folder, StringComparison.Ordinal))
                        {
                            return pid;
                        }
                    }
                }
                catch (IOException)
                {
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no ffmpeg writing into {folder} within {timeout}");
    }

    internal static async Task<bool> ExitsWithinAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var status = Path.Combine("/proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "status");
            try
            {
                var state = (await File.ReadAllLinesAsync(status)).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal));
                if (state is null || state.Contains("zombie", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private sealed class RecordedProgress : IProgress<int>
    {
        private readonly List<int> values = [];

        public IReadOnlyList<int> Values
        {
            get
            {
                lock (values)
                {
                    return [.. values];
                }
            }
        }

        public void Report(int value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
