using Anb.Application.Abstractions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.RecoverStaleVideos;
using Anb.Domain.Videos;
using Anb.UnitTests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Videos.RecoverStaleVideos;

public sealed class RecoverStaleVideosHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IUnitOfWork> unitOfWork = new();
    private readonly Mock<IVideoQueue> queue = new();
    private readonly FakeTimeProvider time = new(VideoTestData.Now.AddHours(2));

    private RecoverStaleVideosHandler CreateHandler() => new(
        videos.Object, unitOfWork.Object, queue.Object,
        Options.Create(new ProcessingOptions { MaxAttempts = 3, StaleAfterMinutes = 30, EnqueueGraceSeconds = 45 }),
        time, NullLogger<RecoverStaleVideosHandler>.Instance);

    [Fact]
    public async Task Handle_AsksForQueuedVideosPastTheStaleLimitAndUnqueuedOnesPastTheEnqueueGrace()
    {
        var limit = time.GetUtcNow().AddMinutes(-30);
        var grace = time.GetUtcNow().AddSeconds(-45);
        videos.Setup(v => v.ListStaleAsync(limit, limit, grace, 100, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var result = await CreateHandler().Handle(new RecoverStaleVideosCommand(), default);

        Assert.Equal(new RecoverStaleVideosResult(0, 0), result);
        videos.Verify(v => v.ListStaleAsync(limit, limit, grace, 100, It.IsAny<CancellationToken>()), Times.Once);
        queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_UnqueuedVideo_EnqueuesThenMarksItQueued()
    {
        var unqueued = VideoTestData.Uploaded();
        var steps = new List<string>();
        videos.Setup(v => v.ListStaleAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([unqueued]);
        queue.Setup(q => q.EnqueueProcessingAsync(unqueued.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("enqueue")).Returns(Task.CompletedTask);
        videos.Setup(v => v.MarkQueuedAsync(unqueued.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("mark")).Returns(Task.CompletedTask);

        var result = await CreateHandler().Handle(new RecoverStaleVideosCommand(), default);

        Assert.Equal(new RecoverStaleVideosResult(1, 0), result);
        Assert.Equal(["enqueue", "mark"], steps);
    }

    [Fact]
    public async Task Handle_EnqueueFails_DoesNotMarkTheVideoQueued()
    {
        var unqueued = VideoTestData.Uploaded();
        videos.Setup(v => v.ListStaleAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([unqueued]);
        queue.Setup(q => q.EnqueueProcessingAsync(unqueued.Id, It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("SQS unreachable"));

        await Assert.ThrowsAsync<HttpRequestException>(() => CreateHandler().Handle(new RecoverStaleVideosCommand(), default).AsTask());

        videos.Verify(v => v.MarkQueuedAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_StaleVideos_RequeuesThoseWithAttemptsLeftAndFailsTheRest()
    {
        var lostTask = VideoTestData.Uploaded();
        var crashed = VideoTestData.Processing(attempts: 1);
        var exhausted = VideoTestData.Processing(attempts: 3);
        videos.Setup(v => v.ListStaleAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([lostTask, crashed, exhausted]);

        var result = await CreateHandler().Handle(new RecoverStaleVideosCommand(), default);

        Assert.Equal(new RecoverStaleVideosResult(2, 1), result);
        queue.Verify(q => q.EnqueueProcessingAsync(lostTask.Id, It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.EnqueueProcessingAsync(crashed.Id, It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.EnqueueProcessingAsync(exhausted.Id, It.IsAny<CancellationToken>()), Times.Never);
        videos.Verify(v => v.MarkQueuedAsync(lostTask.Id, It.IsAny<CancellationToken>()), Times.Once);
        videos.Verify(v => v.MarkQueuedAsync(exhausted.Id, It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(VideoStatus.Failed, exhausted.Status);
        Assert.Equal(ClientMessages.Processing.TimedOut, exhausted.FailureReason);
    }
}
