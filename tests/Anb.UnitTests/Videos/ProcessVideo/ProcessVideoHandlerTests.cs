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
    private readonly string tempRoot = Path.Combine(Path.GetTempPath(), $"anb-unit-{Guid.NewGuid():N}");

    public ProcessVideoHandlerTests()
    {
        storage.Setup(s => s.DownloadToFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((_, path, _) => File.WriteAllText(path, "original"))
            .Returns(Task.CompletedTask);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((_, output, _) => File.WriteAllText(output, "anb version"))
            .Returns(Task.CompletedTask);
    }

    public void Dispose()
    {
        if (Directory.Exists(tempRoot))
        {
            Directory.Delete(tempRoot, true);
        }
    }

    private ProcessVideoHandler CreateHandler(int maxAttempts = 3) => new(
        videos.Object, unitOfWork.Object, storage.Object, transcoder.Object, new TempScratchSpace(tempRoot),
        Options.Create(new ProcessingOptions { MaxAttempts = maxAttempts }),
        time, NullLogger<ProcessVideoHandler>.Instance);

    private void Returns(Video? video, Guid? id = null)
    {
        var videoId = video?.Id ?? id!.Value;
        videos.Setup(v => v.FindAsync(videoId, It.IsAny<CancellationToken>())).ReturnsAsync(video);
    }

    [Fact]
    public async Task Handle_UploadedVideo_TranscodesStoresAndMarksProcessed()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        string? stored = null;
        storage.Setup(s => s.PutFileAsync($"processed/{video.Id:N}.mp4", It.IsAny<string>(), "video/mp4", It.IsAny<CancellationToken>()))
            .Callback<string, string, string, CancellationToken>((_, path, _, _) => stored = File.ReadAllText(path))
            .Returns(Task.CompletedTask);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Processed, outcome);
        Assert.Equal("anb version", stored);
        Assert.Equal(VideoStatus.Processed, video.Status);
        Assert.Equal(time.GetUtcNow(), video.ProcessedAt);
        Assert.Equal($"processed/{video.Id:N}.mp4", video.ProcessedKey);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot)); // scratch cleaned
    }

    [Fact]
    public async Task Handle_MarksProcessingBeforeTranscoding()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        VideoStatus? statusWhileTranscoding = null;
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((_, output, _) =>
            {
                statusWhileTranscoding = video.Status;
                File.WriteAllText(output, "x");
            })
            .Returns(Task.CompletedTask);

        await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(VideoStatus.Processing, statusWhileTranscoding);
    }

    [Fact]
    public async Task Handle_DeletedVideo_IsNoOp()
    {
        var id = Guid.NewGuid();
        Returns(null, id);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        transcoder.VerifyNoOtherCalls();
        unitOfWork.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_AlreadyProcessed_IsNoOp()
    {
        var video = VideoTestData.Processed();
        Returns(video);

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        transcoder.VerifyNoOtherCalls();
        storage.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_AnotherWorkerClaimedIt_IsNoOp()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()));

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        transcoder.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_DeletedWhileTranscoding_RemovesItsResult()
    {
        var video = VideoTestData.Uploaded();
        videos.SetupSequence(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video).ReturnsAsync((Video?)null);
        unitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask)
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()));

        var outcome = await CreateHandler().Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Skipped, outcome);
        storage.Verify(s => s.DeleteAsync($"processed/{video.Id:N}.mp4", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_AnotherDeliveryFinishedFirst_KeepsTheResult()
    {
        var video = VideoTestData.Uploaded();
        var finishedByOther = VideoTestData.Processed();
        videos.SetupSequence(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video).ReturnsAsync(finishedByOther);
        unitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask)
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
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingException("corrupt stream"));

        await Assert.ThrowsAsync<VideoProcessingRetryException>(() => CreateHandler().Handle(new ProcessVideoCommand(video.Id), default).AsTask());

        Assert.Equal(VideoStatus.Processing, video.Status);
        Assert.Equal(1, video.Attempts);
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot));
    }

    [Fact]
    public async Task Handle_FailureOnLastAttempt_MarksFailedWithReason()
    {
        var video = VideoTestData.Processing(attempts: 2);
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingException("corrupt stream"));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal(ClientMessages.Processing.TranscodingFailed("corrupt stream"), video.FailureReason);
        unitOfWork.Verify(u => u.Reset(), Times.Once);
    }

    [Fact]
    public async Task Handle_FailureOnLastDelivery_MarksFailedEvenWithAttemptsLeft()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
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
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(() => CreateHandler().Handle(new ProcessVideoCommand(video.Id), default).AsTask());

        Assert.Equal(VideoStatus.Processing, video.Status);
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot));
    }

    [Fact]
    public async Task Handle_TimeLimitPassedWithAttemptsLeft_ThrowsForRetry()
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
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
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VideoTranscodingTimeoutException(TimeSpan.FromSeconds(140)));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(ClientMessages.Processing.TimeLimitExceeded, video.FailureReason);
    }

    [Theory]
    [InlineData(DecodedVideoRule.MinDuration, 20, "El video dura menos de 20 segundos, aunque su encabezado indique más.")]
    [InlineData(DecodedVideoRule.MinShortSide, 1080, "La resolución real del video es menor que 1080p, aunque su encabezado indique más.")]
    public async Task Handle_DecodedStreamBreaksARuleItsHeaderPassed_FailsAtOnceWithoutRetry(DecodedVideoRule rule, int required, string reason)
    {
        var video = VideoTestData.Uploaded();
        Returns(video);
        transcoder.Setup(t => t.TranscodeAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new DecodedVideoMismatchException(rule, required, "decoded less than claimed"));

        var outcome = await CreateHandler(maxAttempts: 3).Handle(new ProcessVideoCommand(video.Id), default);

        Assert.Equal(ProcessVideoOutcome.Failed, outcome);
        Assert.Equal(1, video.Attempts);
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal(reason, video.FailureReason);
        storage.Verify(s => s.PutFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
