using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.Common;
using Anb.Application.Videos.GetMyVideo;
using Anb.UnitTests.TestData;
using Moq;

namespace Anb.UnitTests.Videos.GetMyVideo;

public sealed class GetMyVideoHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Guid owner = Guid.NewGuid();

    public GetMyVideoHandlerTests() =>
        storage.Setup(s => s.GetDownloadUrl(It.IsAny<string>())).Returns<string>(k => new Uri($"https://files.test/{k}?sig=1"));

    private GetMyVideoHandler CreateHandler() => new(videos.Object, storage.Object, new VideoMapper());

    [Fact]
    public async Task Handle_OwnVideo_ReturnsDetailWithVotesAndLinks()
    {
        var video = VideoTestData.Processed(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var detail = await CreateHandler().Handle(new GetMyVideoQuery(owner, video.Id), default);

        Assert.Equal(video.Id, detail.VideoId);
        Assert.Equal(new Uri($"https://files.test/{video.OriginalKey}?sig=1"), detail.OriginalUrl);
        Assert.Equal(new Uri($"https://files.test/processed/{video.Id:N}.mp4?sig=1"), detail.ProcessedUrl);
        Assert.Equal(new Uri($"https://files.test/processed/{video.Id:N}.jpg?sig=1"), detail.PosterUrl);
        Assert.Equal(0, detail.Votes);
        Assert.Null(detail.FailureReason);
    }

    [Fact]
    public async Task Handle_FailedVideo_IncludesReason()
    {
        var video = VideoTestData.Processing(owner);
        video.MarkFailed("bad input");
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var detail = await CreateHandler().Handle(new GetMyVideoQuery(owner, video.Id), default);

        Assert.Equal("bad input", detail.FailureReason);
        Assert.Null(detail.ProcessedUrl);
        Assert.Null(detail.Progress);
        Assert.Null(detail.PosterUrl);
    }

    [Fact]
    public async Task Handle_ProcessingVideo_CarriesItsProgress()
    {
        var video = VideoTestData.Processing(owner);
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var detail = await CreateHandler().Handle(new GetMyVideoQuery(owner, video.Id), default);

        Assert.Equal(0, detail.Progress);
    }

    [Fact]
    public async Task Handle_SomeoneElsesVideo_ThrowsForbidden()
    {
        var video = VideoTestData.Uploaded(Guid.NewGuid());
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);

        var error = await Assert.ThrowsAsync<ForbiddenException>(() => CreateHandler().Handle(new GetMyVideoQuery(owner, video.Id), default).AsTask());

        Assert.Equal(ClientMessages.Videos.NotOwner, error.Message);
    }

    [Fact]
    public async Task Handle_NoSuchVideo_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => CreateHandler().Handle(new GetMyVideoQuery(owner, Guid.NewGuid()), default).AsTask());

        Assert.Equal(ClientMessages.Videos.NotFound, error.Message);
    }
}
