using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Public.GetPublicVideo;
using Anb.Application.Public.ListPublicVideos;
using Moq;

namespace Anb.UnitTests.Public.GetPublicVideo;

public sealed class GetPublicVideoHandlerTests
{
    private readonly Mock<IShowcaseReader> reader = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Guid videoId = Guid.NewGuid();
    private readonly Guid viewer = Guid.NewGuid();

    public GetPublicVideoHandlerTests() =>
        storage.Setup(s => s.GetDownloadUrl(It.IsAny<string>())).Returns<string>(k => new Uri($"https://cdn.test/{k}"));

    private GetPublicVideoHandler CreateHandler() => new(reader.Object, storage.Object);

    [Fact]
    public async Task Handle_AnonymousViewer_ReturnsTheListItemWithoutVotedByMe()
    {
        reader.Setup(r => r.FindPublicVideoAsync(videoId, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PublicVideoRow(videoId, "t", "Ana Gómez", "Bogotá", 3, "processed/x.mp4", "processed/x.jpg", false));

        var item = await CreateHandler().Handle(new GetPublicVideoQuery(videoId, null), default);

        Assert.Equal(new PublicVideoItem(videoId, "t", "Ana Gómez", "Bogotá", 3, new Uri("https://cdn.test/processed/x.mp4"), new Uri("https://cdn.test/processed/x.jpg"), null), item);
    }

    [Fact]
    public async Task Handle_SignedInViewer_SaysWhetherTheyVoted()
    {
        reader.Setup(r => r.FindPublicVideoAsync(videoId, viewer, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PublicVideoRow(videoId, "t", "n", "c", 1, "k", null, true));

        var item = await CreateHandler().Handle(new GetPublicVideoQuery(videoId, viewer), default);

        Assert.True(item.VotedByMe);
    }

    [Fact]
    public async Task Handle_NotPublic_ThrowsNotFoundWithCatalogueMessage()
    {
        reader.Setup(r => r.FindPublicVideoAsync(videoId, null, It.IsAny<CancellationToken>())).ReturnsAsync((PublicVideoRow?)null);

        var ex = await Assert.ThrowsAsync<NotFoundException>(() => CreateHandler().Handle(new GetPublicVideoQuery(videoId, null), default).AsTask());

        Assert.Equal(ClientMessages.Videos.NotFound, ex.Message);
        storage.VerifyNoOtherCalls();
    }
}
