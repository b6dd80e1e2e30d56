using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.DeleteVideo;
using Anb.Domain.Common;
using Anb.Domain.Videos;
using Anb.UnitTests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Anb.UnitTests.Videos.DeleteVideo;

public sealed class DeleteVideoHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Mock<IUnitOfWork> unitOfWork = new();
    private readonly Guid owner = Guid.NewGuid();

    private DeleteVideoHandler CreateHandler() =>
        new(videos.Object, unitOfWork.Object, storage.Object, NullLogger<DeleteVideoHandler>.Instance);

    [Fact]
    public async Task Handle_UploadedVideo_RemovesRowThenEveryObject()
    {
        var video = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        var steps = new List<string>();
        videos.Setup(v => v.Remove(video)).Callback(() => steps.Add("remove"));
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => steps.Add("save")).Returns(Task.CompletedTask);
        storage.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((k, _) => steps.Add($"delete {k}")).Returns(Task.CompletedTask);

        var response = await CreateHandler().Handle(new DeleteVideoCommand(owner, video.Id), default);

        Assert.Equal(new DeleteVideoResponse(ClientMessages.Videos.Deleted, video.Id), response);
        Assert.Equal(
            ["remove", "save", $"delete {video.OriginalKey}", $"delete processed/{video.Id:N}.mp4", $"delete processed/{video.Id:N}.jpg"],
            steps);
    }

    [Fact]
    public async Task Handle_ProcessedVideo_BreaksVideoAlreadyPublicAndKeepsEverything()
    {
        var video = VideoTestData.Processed(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var error = await Assert.ThrowsAsync<DomainException>(() => CreateHandler().Handle(new DeleteVideoCommand(owner, video.Id), default).AsTask());

        Assert.Equal(DomainRule.VideoAlreadyPublic, error.Rule);
        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_SomeoneElsesVideo_ThrowsForbidden()
    {
        var video = VideoTestData.Uploaded(Guid.NewGuid());
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        await Assert.ThrowsAsync<ForbiddenException>(() => CreateHandler().Handle(new DeleteVideoCommand(owner, video.Id), default).AsTask());
        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
    }

    [Fact]
    public async Task Handle_WorkerChangedTheRowMeanwhile_ReadsAgainAndDeletes()
    {
        var stale = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(stale.Id, It.IsAny<CancellationToken>())).ReturnsAsync(stale);
        unitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()))
            .Returns(Task.CompletedTask);

        var response = await CreateHandler().Handle(new DeleteVideoCommand(owner, stale.Id), default);

        Assert.Equal(stale.Id, response.VideoId);
        unitOfWork.Verify(u => u.Reset(), Times.Once);
        videos.Verify(v => v.FindAsync(stale.Id, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Handle_BecamePublicMeanwhile_BreaksVideoAlreadyPublicAndDeletesNoObject()
    {
        var first = VideoTestData.Processing(owner);
        var processed = VideoTestData.Processed(owner);
        videos.SetupSequence(v => v.FindAsync(first.Id, It.IsAny<CancellationToken>())).ReturnsAsync(first).ReturnsAsync(processed);
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException(new InvalidOperationException()));

        var error = await Assert.ThrowsAsync<DomainException>(() => CreateHandler().Handle(new DeleteVideoCommand(owner, first.Id), default).AsTask());

        Assert.Equal(DomainRule.VideoAlreadyPublic, error.Rule);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_RowKeepsChanging_GivesUpAfterThreeAttemptsAndDeletesNoObject()
    {
        var video = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        var conflict = new ConcurrencyConflictException(new InvalidOperationException());
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(conflict);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CreateHandler().Handle(new DeleteVideoCommand(owner, video.Id), default).AsTask());

        Assert.Same(conflict, error);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(3));
        unitOfWork.Verify(u => u.Reset(), Times.Exactly(2));
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_NoSuchVideo_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => CreateHandler().Handle(new DeleteVideoCommand(owner, Guid.NewGuid()), default).AsTask());

        Assert.Equal(ClientMessages.Videos.NotFound, error.Message);
        videos.Verify(v => v.Remove(It.IsAny<Video>()), Times.Never);
    }

    [Fact]
    public async Task Handle_StorageFails_StillAnswersAndTriesEveryKey()
    {
        var video = VideoTestData.Uploaded(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        storage.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException());

        await CreateHandler().Handle(new DeleteVideoCommand(owner, video.Id), default);

        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }
}
