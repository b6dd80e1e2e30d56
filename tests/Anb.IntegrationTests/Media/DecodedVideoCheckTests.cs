using Anb.Application;
using Anb.Application.Abstractions;
using Anb.Application.Common.Messages;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using Anb.Infrastructure.Media;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Anb.IntegrationTests.Media;

/// <summary>
/// The upload rules checked on what FFmpeg decoded, with clips whose header claims 1080p and 25 s (what the
/// upload probe reads and accepts) over a stream that is smaller or shorter.
/// </summary>
public sealed class DecodedVideoCheckTests
{
    [Fact]
    public async Task LyingClip_PassesTheUploadProbe()
    {
        var clip = await LyingHeaderClips.CreateAsync(640, 360, 5, 1920, 1080, 25);

        var claimed = await new Mp4VideoProbe().ProbeAsync(clip, CancellationToken.None);

        Assert.NotNull(claimed);
        Assert.Equal((1920, 1080), (claimed.Width, claimed.Height));
        Assert.InRange(claimed.Duration.TotalSeconds, 24.9, 25.1);
    }

    [Fact]
    public async Task Transcode_StreamSmallerThanItsHeader_ThrowsMismatchOnTheShortSideAndWritesNothing()
    {
        var clip = await LyingHeaderClips.CreateAsync(640, 360, 25, 1920, 1080, 25);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();

        var ex = await Assert.ThrowsAsync<DecodedVideoMismatchException>(
            () => FfmpegVideoTranscoderTests.CreateTranscoder().TranscodeAsync(clip, output, FfmpegVideoTranscoderTests.NewPosterPath(), null, CancellationToken.None));

        Assert.Equal((DecodedVideoRule.MinShortSide, 1080), (ex.Rule, ex.Required));
        Assert.Contains("640x360", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Transcode_StreamShorterThanItsHeader_ThrowsMismatchOnTheDurationAndWritesNothing()
    {
        var clip = await LyingHeaderClips.CreateAsync(1920, 1080, 5, 1920, 1080, 25);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();

        var ex = await Assert.ThrowsAsync<DecodedVideoMismatchException>(
            () => FfmpegVideoTranscoderTests.CreateTranscoder().TranscodeAsync(clip, output, FfmpegVideoTranscoderTests.NewPosterPath(), null, CancellationToken.None));

        Assert.Equal((DecodedVideoRule.MinDuration, 20), (ex.Rule, ex.Required));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Transcode_HonestClip_PassesTheCheck()
    {
        var clip = await LyingHeaderClips.CreateAsync(1920, 1080, 21, 1920, 1080, 21);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();

        await FfmpegVideoTranscoderTests.CreateTranscoder().TranscodeAsync(clip, output, FfmpegVideoTranscoderTests.NewPosterPath(), null, CancellationToken.None);

        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task Worker_ClipWhoseHeaderLied_EndsFailedOnTheFirstAttemptWithAReadableReason()
    {
        var clip = await LyingHeaderClips.CreateAsync(640, 360, 5, 1920, 1080, 25);
        var storageRoot = Path.Combine(Path.GetTempPath(), "anb-tests", $"decoded-{Guid.NewGuid():N}");
        await using var database = await TestDatabase.CreateAsync();
        using var worker = await WorkerHostVideos.StartHangfireWorkerAsync(
            database.ConnectionString, storageRoot, new Dictionary<string, string?> { ["Transcoder:Preset"] = "ultrafast" });
        try
        {
            var video = await worker.SeedUploadedVideoAsync();
            await using (var scope = worker.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<IObjectStorage>()
                    .PutFileAsync(video.OriginalKey, clip, "video/mp4", CancellationToken.None);
            }

            await worker.EnqueueProcessingAsync(video.Id);

            var failed = await worker.WaitForVideoStatusAsync(video.Id, VideoStatus.Failed, seconds: 60);
            Assert.Equal(1, failed.Attempts);
            Assert.Equal(ClientMessages.Processing.DecodedTooSmall(1080), failed.FailureReason);
            Assert.Null(failed.ProcessedKey);
            Assert.DoesNotContain(
                Directory.GetFiles(storageRoot, "*", SearchOption.AllDirectories),
                file => Path.GetRelativePath(storageRoot, file).StartsWith("processed", StringComparison.Ordinal));
        }
        finally
        {
            await worker.StopAsync();
            Directory.Delete(storageRoot, recursive: true);
        }
    }
}
