using Anb.Application.Abstractions;
using Anb.Application.Videos.Common;
using Anb.Application.Videos.ListMyVideos;
using Anb.Domain.Videos;
using Anb.UnitTests.TestData;
using Moq;

namespace Anb.UnitTests.Videos.ListMyVideos;

public sealed class ListMyVideosHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Guid owner = Guid.NewGuid();

    public ListMyVideosHandlerTests() =>
        storage.Setup(s => s.GetDownloadUrl(It.IsAny<string>())).Returns<string>(k => new Uri($"https://files.test/{k}?sig=1"));

    [Fact]
    public async Task Handle_OwnVideos_ReturnsItemsWithLinksOnlyForProcessed()
    {
        var uploaded = VideoTestData.Uploaded(owner);
        var processed = VideoTestData.Processed(owner);
        videos.Setup(v => v.ListByOwnerAsync(owner, It.IsAny<CancellationToken>())).ReturnsAsync([uploaded, processed]);

        var items = await new ListMyVideosHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new ListMyVideosQuery(owner), default);

        Assert.Equal(2, items.Count);
        Assert.Equal(new MyVideoItem(uploaded.Id, "Mate al aro", VideoStatus.Uploaded, uploaded.UploadedAt, null, null, null, null), items[0]);
        Assert.Equal(processed.Id, items[1].VideoId);
        Assert.Equal(VideoStatus.Processed, items[1].Status);
        Assert.Equal(processed.ProcessedAt, items[1].ProcessedAt);
        Assert.Equal(new Uri($"https://files.test/processed/{processed.Id:N}.mp4?sig=1"), items[1].ProcessedUrl);
        Assert.Null(items[1].Progress);
        Assert.Equal(new Uri($"https://files.test/processed/{processed.Id:N}.jpg?sig=1"), items[1].PosterUrl);
    }

    [Fact]
    public async Task Handle_ProcessingVideo_CarriesItsProgress()
    {
        var processing = VideoTestData.Processing(owner);
        videos.Setup(v => v.ListByOwnerAsync(owner, It.IsAny<CancellationToken>())).ReturnsAsync([processing]);

        var items = await new ListMyVideosHandler(videos.Object, storage.Object, new VideoMapper()).Handle(new ListMyVideosQuery(owner), default);

        Assert.Equal(0, Assert.Single(items).Progress);
    }
}
