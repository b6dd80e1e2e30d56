using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Videos.UploadVideo;
using Anb.Domain.Videos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Videos;

public sealed class UploadVideoHandlerTests : IDisposable
{
    private readonly Mock<IVideoProbe> probe = new();
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
        probe.Setup(p => p.ProbeAsync(file, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1920, 1080));
    }

    public void Dispose() => File.Delete(file);

    private UploadVideoHandler CreateHandler() => new(
        probe.Object, storage.Object, videos.Object, unitOfWork.Object, queue.Object,
        Options.Create(new UploadOptions()), time, NullLogger<UploadVideoHandler>.Instance);

    private UploadVideoCommand Command => new(userId, "Mate al aro", file, 4);

    [Fact]
    public async Task Handle_AcceptableFile_StoresRecordsEnqueuesInThatOrder()
    {
        var steps = new List<string>();
        Video? added = null;
        storage.Setup(s => s.PutFileAsync(It.IsAny<string>(), file, "video/mp4", It.IsAny<CancellationToken>()))
            .Callback(() => steps.Add("store")).Returns(Task.CompletedTask);
        videos.Setup(v => v.Add(It.IsAny<Video>())).Callback<Video>(v => { added = v; steps.Add("add"); });
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => steps.Add("save")).Returns(Task.CompletedTask);
        queue.Setup(q => q.EnqueueProcessingAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).Callback(() => steps.Add("enqueue")).Returns(Task.CompletedTask);

        var response = await CreateHandler().Handle(Command, default);

        Assert.Equal(["store", "add", "save", "enqueue"], steps);
        Assert.NotNull(added);
        Assert.Equal(response.TaskId, added.Id);
        Assert.Equal(VideoStatus.Uploaded, added.Status);
        Assert.Equal(userId, added.OwnerId);
        Assert.Equal($"originals/{added.Id:N}.mp4", added.OriginalKey);
        Assert.Equal("Video subido correctamente. Procesamiento en curso.", response.Message);
        storage.Verify(s => s.PutFileAsync(added.OriginalKey, file, "video/mp4", It.IsAny<CancellationToken>()));
        queue.Verify(q => q.EnqueueProcessingAsync(added.Id, It.IsAny<CancellationToken>()));
    }

    public static TheoryData<VideoProbeResult?, string> RejectedFiles() => new()
    {
        { null, "El archivo debe ser un video MP4 válido." },
        { new VideoProbeResult(false, TimeSpan.FromSeconds(30), 1920, 1080), "El archivo debe ser un video MP4 válido." },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 0, 0), "El archivo debe ser un video MP4 válido." },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(19.9), 1920, 1080), "La duración del video debe estar entre 20 y 60 segundos." },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(60.1), 1920, 1080), "La duración del video debe estar entre 20 y 60 segundos." },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1280, 720), "La resolución mínima del video es 1080p." },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 720, 1280), "La resolución mínima del video es 1080p." },
    };

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public async Task Handle_UnacceptableFile_Throws400AndTouchesNothing(VideoProbeResult? result, string message)
    {
        probe.Setup(p => p.ProbeAsync(file, It.IsAny<CancellationToken>())).ReturnsAsync(result);

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => CreateHandler().Handle(Command, default).AsTask());

        Assert.Equal(message, error.Message);
        storage.VerifyNoOtherCalls();
        videos.VerifyNoOtherCalls();
        queue.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(1080, 1920, 20)]
    [InlineData(1920, 1080, 60)]
    [InlineData(3840, 2160, 45)]
    public async Task Handle_BoundaryValues_AreAccepted(int width, int height, int seconds)
    {
        probe.Setup(p => p.ProbeAsync(file, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new VideoProbeResult(true, TimeSpan.FromSeconds(seconds), width, height));

        var response = await CreateHandler().Handle(Command, default);

        Assert.NotEqual(Guid.Empty, response.TaskId);
    }

    [Fact]
    public async Task Handle_StorageFails_Throws503AndRecordsNothing()
    {
        storage.Setup(s => s.PutFileAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("disk full"));

        await Assert.ThrowsAsync<ServiceUnavailableException>(() => CreateHandler().Handle(Command, default).AsTask());

        videos.Verify(v => v.Add(It.IsAny<Video>()), Times.Never);
        queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_DatabaseFails_DeletesStoredObjectAndEnqueuesNothing()
    {
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());

        await Assert.ThrowsAsync<ServiceUnavailableException>(() => CreateHandler().Handle(Command, default).AsTask());

        storage.Verify(s => s.DeleteAsync(It.Is<string>(k => k.StartsWith("originals/", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_QueueFails_RemovesRowAndObjectThenThrows503()
    {
        Video? added = null;
        videos.Setup(v => v.Add(It.IsAny<Video>())).Callback<Video>(v => added = v);
        queue.Setup(q => q.EnqueueProcessingAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("queue down"));

        await Assert.ThrowsAsync<ServiceUnavailableException>(() => CreateHandler().Handle(Command, default).AsTask());

        videos.Verify(v => v.Remove(added!), Times.Once);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        storage.Verify(s => s.DeleteAsync(added!.OriginalKey, It.IsAny<CancellationToken>()), Times.Once);
    }
}
