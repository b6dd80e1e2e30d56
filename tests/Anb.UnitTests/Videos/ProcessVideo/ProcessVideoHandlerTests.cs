using System.Threading.Channels;
using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.ProcessVideo;
using Anb.Domain.Videos;
using Anb.UnitTests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Videos.ProcessVideo;

public sealed class ProcessVideoHandlerTests : IDisposable
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IUnitOfWork> unitOfWork = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Mock<IVideoTranscoder> transcoder = new();
    private readonly FakeTimeProvider time = new(VideoTestData.Now.AddMinutes(5));
    private readonly RecordedMetrics metrics = new();
    private readonly string tempRoot = Path.Combine(Path.GetTempPath(), $"anb-unit-{Guid.NewGuid():N}");

    public ProcessVideoHandlerTests()
    {
        storage.Setup(s => s.DownloadToFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((_, path, _) => File.WriteAllText(path, "original"))
            .Returns(Task.CompletedTask);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, string, IProgress<int>?, CancellationToken>((_, output, poster, _, _) =>
            {
                File.WriteAllText(output, "anb version");
                File.WriteAllText(poster, "poster");
            })
            .Returns(Task.CompletedTask);
    }

    public void Dispose()
    {
        metrics.Dispose();
        if (Directory.Exists(tempRoot))
        {
            Directory.Delete(tempRoot, true);
        }
    }

    private const string Worker = "worker-a";
    private const int LeaseSeconds = 60;

    private ProcessVideoHandler CreateHandler(int maxAttempts = 3) => new(
        videos.Object, unitOfWork.Object, storage.Object, transcoder.Object, new TempScratchSpace(tempRoot),
        new WorkerIdentity(Worker),
        Options.Create(new ProcessingOptions { MaxAttempts = maxAttempts, LeaseSeconds = LeaseSeconds }),
        time, metrics.Metrics, NullLogger<ProcessVideoHandler>.Instance);

    /// <summary>The video as the database holds it: the claim succeeds (and applies) when its rule allows.</summary>
    private void Returns(Video? video, Guid? id = null)
    {
        var videoId = video?.Id ?? id!.Value;
        videos.Setup(v => v.FindAsync(videoId, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        videos.Setup(v => v.TryClaimAsync(videoId, Worker, TimeSpan.FromSeconds(LeaseSeconds), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                var now = time.GetUtcNow();
                if (video is null || video.Status is VideoStatus.Processed or VideoStatus.Failed || video.LeaseExpiresAt > now)
                {
                    return false;
                }

                video.StartProcessing(now, Worker, now.AddSeconds(LeaseSeconds));
                return true;
            });
    }

    [Fact]
    public async Task Handle_UploadedVideo_TranscodesStoresAndMarksProcessed()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        string? stored = null;
        string? poster = null;
        storage.Setup(s => s.PutFileAsync($"processed/{video.Id:N}.mp4", It.IsAny<string>(), "video/mp4", It.IsAny<CancellationToken>()))
            .Callback<string, string, string, CancellationToken>((_, path, _, _) => stored = File.ReadAllText(path))
            .Returns(Task.CompletedTask);
        storage.Setup(s => s.PutFileAsync($"processed/{video.Id:N}.jpg", It.IsAny<string>(), "image/jpeg", It.IsAny<CancellationToken>()))
            .Callback<string, string, string, CancellationToken>((_, path, _, _) => poster = File.ReadAllText(path))
            .Returns(Task.CompletedTask);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Processed, outcome);
        Assert.Equal("anb version", stored);
        Assert.Equal(VideoStatus.Processed, video.Status);
        Assert.Equal(time.GetUtcNow(), video.ProcessedAt);
        Assert.Equal($"processed/{video.Id:N}.mp4", video.ProcessedKey);
        Assert.Equal($"processed/{video.Id:N}.jpg", video.PosterKey);
        Assert.Equal("poster", poster);
        Assert.Equal(1, video.Attempts);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        videos.Verify(v => v.ReleaseLeaseAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never); // the save ended it
        Assert.Equal([(1.0, null)], metrics.Of("anb.video.processed"));
        Assert.Equal([(1.0, null)], metrics.Of("anb.video.attempts"));
        Assert.Single(metrics.Of("anb.transcode.duration"));
        Assert.Empty(metrics.Of("anb.video.failed"));
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot)); // scratch cleaned
    }

    [Fact]
    public async Task Handle_Processed_EndsTheLeaseInTheSameSave()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        (string? Owner, DateTimeOffset? Expiry)? leaseWhenSaved = null;
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .Callback(() => leaseWhenSaved = (video.LeaseOwner, video.LeaseExpiresAt))
            .Returns(Task.CompletedTask);

        await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(((string?)null, (DateTimeOffset?)null), leaseWhenSaved);
    }

    [Fact]
    public async Task Handle_ClaimsWithALeaseBeforeTranscoding()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        (VideoStatus, string?, DateTimeOffset?)? whileTranscoding = null;
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, string, IProgress<int>?, CancellationToken>((_, output, poster, _, _) =>
            {
                whileTranscoding = (video.Status, video.LeaseOwner, video.LeaseExpiresAt);
                File.WriteAllText(output, "x");
            })
            .Returns(Task.CompletedTask);

        await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal((VideoStatus.Processing, Worker, time.GetUtcNow().AddSeconds(LeaseSeconds)), whileTranscoding);
    }

    [Fact]
    public async Task Handle_ClaimRefused_SkipsWithoutTouchingTheVideo()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        videos.Setup(v => v.TryClaimAsync(video.Id, Worker, It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        Assert.Equal(VideoStatus.Uploaded, video.Status);
        transcoder.VerifyNoOtherCalls();
        storage.VerifyNoOtherCalls();
        unitOfWork.VerifyNoOtherCalls();
        videos.Verify(v => v.ReleaseLeaseAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_SecondDeliveryWhileTheLeaseLives_DoesNotTranscode()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        video.StartProcessing(time.GetUtcNow(), "worker-b", time.GetUtcNow().AddSeconds(30));

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        Assert.Equal("worker-b", video.LeaseOwner);
        transcoder.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_ExpiredLeaseOfACrashedWorker_IsTakenOverAndProcessed()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        video.StartProcessing(time.GetUtcNow().AddMinutes(-2), "crashed", time.GetUtcNow().AddSeconds(-1));

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Processed, outcome);
        Assert.Equal(2, video.Attempts);
        transcoder.Verify(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handle_DeletedOrFinished_IsNoOp(bool deleted)
    {
        var video = VideoTestData.Processed();
        Returns(deleted ? null : video, video.Id);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        transcoder.VerifyNoOtherCalls();
        storage.VerifyNoOtherCalls();
        unitOfWork.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_WhileTranscoding_RenewsTheLeaseEveryThirdOfItsLengthUntilDone()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        var transcoding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .Returns<string, string, string, IProgress<int>?, CancellationToken>(async (_, output, poster, _, _) =>
            {
                transcoding.SetResult();
                await finish.Task;
                await File.WriteAllTextAsync(output, "x");
            });
        videos.Setup(v => v.RenewLeaseAsync(video.Id, Worker, TimeSpan.FromSeconds(LeaseSeconds), It.IsAny<CancellationToken>()))
            .Callback(() => renewed.TrySetResult())
            .ReturnsAsync(true);

        var handling = CreateHandler().Handle(new ProcessVideoCommand(video.Id), default).AsTask();
        await transcoding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(LeaseSeconds / 3 - 1));
        videos.Verify(v => v.RenewLeaseAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
        time.Advance(TimeSpan.FromSeconds(1));
        await renewed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        finish.SetResult();
        var outcome = await handling.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(LeaseSeconds * 2));

        Assert.Equal(ProcessVideoOutcome.Processed, outcome);
        videos.Verify(v => v.RenewLeaseAsync(video.Id, Worker, TimeSpan.FromSeconds(LeaseSeconds), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_WhileTranscoding_WritesTheLatestProgressAtMostOnceASecond()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        var written = Channel.CreateUnbounded<int>();
        videos.Setup(v => v.ReportProgressAsync(video.Id, Worker, It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback<Guid, string, int, CancellationToken>((_, _, percent, _) => written.Writer.TryWrite(percent))
            .ReturnsAsync(true);
        var seen = new List<int>();
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .Returns<string, string, string, IProgress<int>?, CancellationToken>(async (_, output, poster, progress, _) =>
            {
                progress!.Report(10);
                time.Advance(ProcessVideoHandler.ProgressInterval);
                seen.Add(await written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
                progress.Report(20);
                progress.Report(35);
                time.Advance(ProcessVideoHandler.ProgressInterval / 2);
                progress.Report(50);
                time.Advance(ProcessVideoHandler.ProgressInterval / 2);
                seen.Add(await written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
                time.Advance(ProcessVideoHandler.ProgressInterval * 3); // nothing new to write
                await File.WriteAllTextAsync(output, "x");
            });

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Processed, outcome);
        Assert.Equal([10, 50], seen);
        videos.Verify(v => v.ReportProgressAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Null(video.Progress);
    }

    [Fact]
    public async Task Handle_LeaseTakenOverWhileTranscoding_LeavesTheVideoToItsNewOwner()
    {
        var video = VideoTestData.Uploaded();
        var takenOver = VideoTestData.Uploaded(id: video.Id);
        takenOver.StartProcessing(time.GetUtcNow(), "worker-b", time.GetUtcNow().AddSeconds(LeaseSeconds));
        Returns(video);
        videos.SetupSequence(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(video).ReturnsAsync(takenOver).ReturnsAsync(takenOver);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        Assert.Equal(VideoStatus.Processing, takenOver.Status);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_DeletedWhileTranscoding_RemovesItsResult()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        videos.SetupSequence(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video).ReturnsAsync((Video?)null).ReturnsAsync((Video?)null);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        storage.Verify(s => s.DeleteAsync($"processed/{video.Id:N}.mp4", It.IsAny<CancellationToken>()), Times.Once);
        storage.Verify(s => s.DeleteAsync($"processed/{video.Id:N}.jpg", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_ChangedBetweenReloadAndSave_KeepsAnotherDeliverysResult()
    {
        var video = VideoTestData.Uploaded();
        var finishedByOther = VideoTestData.Processed();
        Returns(video);
        videos.SetupSequence(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(video).ReturnsAsync(video).ReturnsAsync(finishedByOther);
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()));

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_FailureWithAttemptsLeft_ThrowsForRetryAndStaysProcessing()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingException("corrupt stream"));

        await Assert.ThrowsAsync<VideoProcessingRetryException>(() => CreateHandler().Handle(new ProcessVideoCommand(video.Id), default).AsTask());

        Assert.Equal(VideoStatus.Processing, video.Status);
        Assert.Equal(1, video.Attempts);
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot));
        videos.Verify(v => v.ReleaseLeaseAsync(video.Id, Worker, It.IsAny<CancellationToken>()), Times.Once); // the retry may claim it at once
        Assert.Empty(metrics.Of("anb.video.failed")); // not ended yet
        Assert.Empty(metrics.Of("anb.video.attempts"));
        Assert.Empty(metrics.Of("anb.transcode.duration"));
    }

    [Fact]
    public async Task Handle_FailureOnLastAttempt_MarksFailedWithReason()
    {
        var video = VideoTestData.Processing(attempts: 2);
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingException("corrupt stream"));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal(ClientMessages.Processing.TranscodingFailed("corrupt stream"), video.FailureReason);
        Assert.Equal([(1.0, "transcode_error")], metrics.Of("anb.video.failed"));
        Assert.Equal([(3.0, null)], metrics.Of("anb.video.attempts"));
        Assert.Empty(metrics.Of("anb.video.processed"));
        unitOfWork.Verify(u => u.Reset(), Times.Once);
        storage.Verify(s => s.DeleteAsync($"processed/{video.Id:N}.mp4", It.IsAny<CancellationToken>()), Times.Once);
        storage.Verify(s => s.DeleteAsync($"processed/{video.Id:N}.jpg", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_StoringFailsAfterThePosterOnLastAttempt_LeavesNoResultBehind()
    {
        var video = VideoTestData.Processing(attempts: 2);
        Returns(video);
        var stored = new HashSet<string>();
        storage.Setup(s => s.PutFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, string, string, CancellationToken>((key, _, _, _) =>
                key.EndsWith(".mp4", StringComparison.Ordinal) ? throw new IOException("disk full") : Task.FromResult(stored.Add(key)));
        storage.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((key, _) => stored.Remove(key))
            .Returns(Task.CompletedTask);

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Null(video.PosterKey);
        Assert.Empty(stored);
        storage.Verify(s => s.PutFileAsync($"processed/{video.Id:N}.jpg", It.IsAny<string>(), "image/jpeg", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_FailureOnLastAttemptAfterTheLeaseWasTakenOver_LeavesTheVideoToItsNewOwner()
    {
        var video = VideoTestData.Processing(attempts: 2);
        var takenOver = VideoTestData.Processing(attempts: 3);
        takenOver.StartProcessing(time.GetUtcNow(), "worker-b", time.GetUtcNow().AddSeconds(LeaseSeconds));
        Returns(video);
        videos.SetupSequence(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video).ReturnsAsync(takenOver);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingException("corrupt stream"));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        Assert.Equal(VideoStatus.Processing, takenOver.Status);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_FailureOnLastDelivery_MarksFailedEvenWithAttemptsLeft()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("disk"));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id, LastDelivery: true), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(ClientMessages.Processing.InternalError, video.FailureReason);
    }

    [Fact]
    public async Task Handle_Cancelled_PropagatesWithoutMarkingFailed()
    {
        var video = VideoTestData.Processing(attempts: 3);
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(() => CreateHandler().Handle(new ProcessVideoCommand(video.Id), default).AsTask());

        Assert.Equal(VideoStatus.Processing, video.Status);
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot));
        videos.Verify(v => v.ReleaseLeaseAsync(video.Id, Worker, It.IsAny<CancellationToken>()), Times.Once); // another worker may claim it at once
    }

    [Fact]
    public async Task Handle_TimeLimitPassedWithAttemptsLeft_ThrowsForRetry()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingTimeoutException(TimeSpan.FromSeconds(140)));

        var ex = await Assert.ThrowsAsync<VideoProcessingRetryException>(() => CreateHandler().Handle(new ProcessVideoCommand(video.Id), default).AsTask());

        Assert.IsType<VideoTranscodingTimeoutException>(ex.InnerException);
        Assert.Equal(VideoStatus.Processing, video.Status);
    }

    [Fact]
    public async Task Handle_TimeLimitPassedOnLastAttempt_MarksFailedWithTheTimeLimitReason()
    {
        var video = VideoTestData.Processing(attempts: 2);
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingTimeoutException(TimeSpan.FromSeconds(140)));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(ClientMessages.Processing.TimeLimitExceeded, video.FailureReason);
        Assert.Equal([(1.0, "timed_out")], metrics.Of("anb.video.failed"));
    }

    [Theory]
    [InlineData(DecodedVideoRule.MinDuration, 20, "El video dura menos de 20 segundos, aunque su encabezado indique más.")]
    [InlineData(DecodedVideoRule.MinShortSide, 1080, "La resolución real del video es menor que 1080p, aunque su encabezado indique más.")]
    public async Task Handle_DecodedStreamBreaksARuleItsHeaderPassed_FailsAtOnceWithoutRetry(DecodedVideoRule rule, int required, string reason)
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IProgress<int>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new DecodedVideoMismatchException(rule, required, "decoded less than claimed"));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(1, video.Attempts);
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal(reason, video.FailureReason);
        Assert.Equal([(1.0, "invalid_media")], metrics.Of("anb.video.failed"));
        Assert.Equal([(1.0, null)], metrics.Of("anb.video.attempts"));
        storage.Verify(s => s.PutFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
