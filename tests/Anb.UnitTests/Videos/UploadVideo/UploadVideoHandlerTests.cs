using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.UploadVideo;
using Anb.Domain.Videos;
using Anb.UnitTests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Videos.UploadVideo;

public sealed class UploadVideoHandlerTests : IDisposable
{
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IUnitOfWork> unitOfWork = new();
    private readonly Mock<IVideoQueue> queue = new();
    private readonly FakeTimeProvider time = new(VideoTestData.Now);
    private readonly string file = Path.GetTempFileName();
    private readonly Guid userId = Guid.NewGuid();

    public UploadVideoHandlerTests()
    {
        File.WriteAllBytes(file, [1, 2, 3, 4]);
    }

    public void Dispose() => File.Delete(file);

    private UploadVideoHandler CreateHandler() => new(
        storage.Object, videos.Object, unitOfWork.Object, queue.Object, time, NullLogger<UploadVideoHandler>.Instance);

    private UploadVideoCommand Command => new(userId, "Mate al aro", file, 4);

    [Fact]
    public async Task Handle_AcceptableFile_StoresRecordsEnqueuesAndMarksQueuedInThatOrder()
    {
        var steps = new List<string>();
        Video? added = null;
        storage.Setup(s => s.PutFileAsync(It.IsAny<string>(), file, "video/mp4", It.IsAny<CancellationToken>()))
            .Callback(() => steps.Add("store")).Returns(Task.CompletedTask);
        videos.Setup(v => v.Add(It.IsAny<Video>())).Callback<Video>(v => { added = v; steps.Add("add"); });
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => steps.Add("save")).Returns(Task.CompletedTask);
        queue.Setup(q => q.EnqueueProcessingAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).Callback(() => steps.Add("enqueue")).Returns(Task.CompletedTask);
        videos.Setup(v => v.MarkQueuedAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).Callback(() => steps.Add("mark")).Returns(Task.CompletedTask);

        var response = await CreateHandler().Handle(Command, default);

        Assert.Equal(["store", "add", "save", "enqueue", "mark"], steps);
        Assert.NotNull(added);
        Assert.Equal(response.TaskId, added.Id);
        Assert.Equal(VideoStatus.Uploaded, added.Status);
        Assert.Null(added.QueuedAt);
        Assert.Equal(userId, added.OwnerId);
        Assert.Equal($"originals/{added.Id:N}.mp4", added.OriginalKey);
        Assert.Equal(ClientMessages.Upload.Accepted, response.Message);
        storage.Verify(s => s.PutFileAsync(added.OriginalKey, file, "video/mp4", It.IsAny<CancellationToken>()));
        queue.Verify(q => q.EnqueueProcessingAsync(added.Id, It.IsAny<CancellationToken>()));
        videos.Verify(v => v.MarkQueuedAsync(added.Id, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Handle_StorageFails_Throws503AndRecordsNothing()
    {
        storage.Setup(s => s.PutFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("disk full"));

        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => CreateHandler().Handle(Command, default).AsTask());

        Assert.Equal(ClientMessages.Upload.StorageUnavailable, error.Message);
        videos.Verify(v => v.Add(It.IsAny<Video>()), Times.Never);
        queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_RowSaveFails_DeletesTheOriginalThrows503AndEnqueuesNothing()
    {
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());

        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => CreateHandler().Handle(Command, default).AsTask());

        Assert.Equal(ClientMessages.Upload.StorageUnavailable, error.Message);
        storage.Verify(s => s.DeleteAsync(It.Is<string>(k => k.StartsWith("originals/", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        queue.VerifyNoOtherCalls();
        videos.Verify(v => v.MarkQueuedAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_RowSaveAndOriginalDeleteFail_Throws503AndLeavesTheOriginalToTheOrphanSweep()
    {
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());
        storage.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("S3 unreachable"));

        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => CreateHandler().Handle(Command, default).AsTask());

        Assert.Equal(ClientMessages.Upload.StorageUnavailable, error.Message);
        queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_EnqueueFails_Answers201AndKeepsTheRowAndItsOriginalUnqueued()
    {
        Video? added = null;
        videos.Setup(v => v.Add(It.IsAny<Video>())).Callback<Video>(v => added = v);
        queue.Setup(q => q.EnqueueProcessingAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("queue down"));

        var response = await CreateHandler().Handle(Command, default);

        Assert.Equal(ClientMessages.Upload.Accepted, response.Message);
        Assert.Equal(added!.Id, response.TaskId);
        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
        videos.Verify(v => v.MarkQueuedAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_MarkQueuedFails_Answers201AndKeepsTheRowAndItsOriginal()
    {
        Video? added = null;
        videos.Setup(v => v.Add(It.IsAny<Video>())).Callback<Video>(v => added = v);
        videos.Setup(v => v.MarkQueuedAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("database down"));

        var response = await CreateHandler().Handle(Command, default);

        Assert.Equal(ClientMessages.Upload.Accepted, response.Message);
        queue.Verify(q => q.EnqueueProcessingAsync(added!.Id, It.IsAny<CancellationToken>()), Times.Once);
        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_ClientGoneAfterTheRowIsSaved_StillEnqueuesWithoutItsToken()
    {
        using var cancelled = new CancellationTokenSource();
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(cancelled.Cancel).Returns(Task.CompletedTask);

        await CreateHandler().Handle(Command, cancelled.Token);

        queue.Verify(q => q.EnqueueProcessingAsync(It.IsAny<Guid>(), CancellationToken.None), Times.Once);
        videos.Verify(v => v.MarkQueuedAsync(It.IsAny<Guid>(), CancellationToken.None), Times.Once);
    }
}
