using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Videos.Common;
using Anb.Application.Videos.DeleteVideo;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Domain.Common;
using Anb.Domain.Videos;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Anb.UnitTests.Videos;

public sealed class MyVideosHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Mock<IUnitOfWork> unitOfWork = new();
    private readonly Guid owner = Guid.NewGuid();

    public MyVideosHandlerTests() =>
        storage.Setup(s => s.GetDownloadUrl(It.IsAny<string>())).Returns<string>(k => new Uri($"https://files.test/{k}?sig=1"));

    [Fact]
    public async Task List_ReturnsItemsWithLinksOnlyForProcessed()
    {
        var uploaded = VideoTestData.Uploaded(owner);
        var processed = VideoTestData.Processed(owner);
        videos.Setup(v => v.ListByOwnerAsync(owner, It.IsAny<CancellationToken>())).ReturnsAsync([uploaded, processed]);

        var items = await new ListMyVideosHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new ListMyVideosQuery(owner), default);

        Assert.Equal(2, items.Count);
        Assert.Equal(new MyVideoItem(uploaded.Id, "Mate al aro", VideoStatus.Uploaded, uploaded.UploadedAt, null, null), items[0]);
        Assert.Equal(processed.Id, items[1].VideoId);
        Assert.Equal(VideoStatus.Processed, items[1].Status);
        Assert.Equal(processed.ProcessedAt, items[1].ProcessedAt);
        Assert.Equal(new Uri($"https://files.test/processed/{processed.Id:N}.mp4?sig=1"), items[1].ProcessedUrl);
    }

    [Fact]
    public async Task Get_OwnVideo_ReturnsDetailWithVotesAndLinks()
    {
        var video = VideoTestData.Processed(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var detail = await new GetMyVideoHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new GetMyVideoQuery(owner, video.Id), default);

        Assert.Equal(video.Id, detail.VideoId);
        Assert.Equal(new Uri($"https://files.test/{video.OriginalKey}?sig=1"), detail.OriginalUrl);
        Assert.NotNull(detail.ProcessedUrl);
        Assert.Equal(0, detail.Votes);
        Assert.Null(detail.FailureReason);
    }

    [Fact]
    public async Task Get_FailedVideo_IncludesReason()
    {
        var video = VideoTestData.Processing(owner);
        video.MarkFailed("bad input");
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var detail = await new GetMyVideoHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new GetMyVideoQuery(owner, video.Id), default);

        Assert.Equal("bad input", detail.FailureReason);
        Assert.Null(detail.ProcessedUrl);
    }

    [Fact]
    public async Task Get_SomeoneElsesVideo_Throws403()
    {
        var video = VideoTestData.Uploaded(Guid.NewGuid());
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var error = await Assert.ThrowsAsync<ForbiddenException>(
            () => new GetMyVideoHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new GetMyVideoQuery(owner, video.Id), default).AsTask());

        Assert.Equal("No tienes permiso para acceder a este video.", error.Message);
    }

    [Fact]
    public async Task Get_NoSuchVideo_Throws404()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(
            () => new GetMyVideoHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new GetMyVideoQuery(owner, Guid.NewGuid()), default).AsTask());

        Assert.Equal("Video no encontrado.", error.Message);
    }

    private DeleteVideoHandler DeleteHandler() =>
        new(videos.Object, unitOfWork.Object, storage.Object, NullLogger<DeleteVideoHandler>.Instance);

    [Fact]
    public async Task Delete_UploadedVideo_RemovesRowThenEveryObject()
    {
        var video = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        var steps = new List<string>();
        videos.Setup(v => v.Remove(video)).Callback(() => steps.Add("remove"));
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => steps.Add("save")).Returns(Task.CompletedTask);
        storage.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((k, _) => steps.Add($"delete {k}")).Returns(Task.CompletedTask);

        var response = await DeleteHandler().Handle(new DeleteVideoCommand(owner, video.Id), default);

        Assert.Equal(new DeleteVideoResponse("El video ha sido eliminado exitosamente.", video.Id), response);
        Assert.Equal(["remove", "save", $"delete {video.OriginalKey}", $"delete processed/{video.Id:N}.mp4"], steps);
    }

    [Fact]
    public async Task Delete_ProcessedVideo_Throws400AndKeepsEverything()
    {
        var video = VideoTestData.Processed(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        await Assert.ThrowsAsync<DomainException>(() => DeleteHandler().Handle(new DeleteVideoCommand(owner, video.Id), default).AsTask());

        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Delete_SomeoneElsesVideo_Throws403()
    {
        var video = VideoTestData.Uploaded(Guid.NewGuid());
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        await Assert.ThrowsAsync<ForbiddenException>(() => DeleteHandler().Handle(new DeleteVideoCommand(owner, video.Id), default).AsTask());
        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
    }

    [Fact]
    public async Task Delete_WorkerChangedTheRowMeanwhile_ReadsAgainAndDeletes()
    {
        var stale = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(stale.Id, It.IsAny<CancellationToken>())).ReturnsAsync(stale);
        unitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()))
            .Returns(Task.CompletedTask);

        var response = await DeleteHandler().Handle(new DeleteVideoCommand(owner, stale.Id), default);

        Assert.Equal(stale.Id, response.VideoId);
        unitOfWork.Verify(u => u.Reset(), Times.Once);
        videos.Verify(v => v.FindAsync(stale.Id, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Delete_BecamePublicMeanwhile_Throws400()
    {
        var first = VideoTestData.Processing(owner);
        var processed = VideoTestData.Processed(owner);
        videos.SetupSequence(v => v.FindAsync(first.Id, It.IsAny<CancellationToken>())).ReturnsAsync(first).ReturnsAsync(processed);
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()));

        await Assert.ThrowsAsync<DomainException>(() => DeleteHandler().Handle(new DeleteVideoCommand(owner, first.Id), default).AsTask());
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Delete_StorageFailure_StillAnswersAndTriesEveryKey()
    {
        var video = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        storage.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException());

        await DeleteHandler().Handle(new DeleteVideoCommand(owner, video.Id), default);

        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
