using Anb.Application.Abstractions;
using Anb.Application.Public.ListPublicVideos;
using Moq;

namespace Anb.UnitTests.Public.ListPublicVideos;

public sealed class ListPublicVideosHandlerTests
{
    private readonly Mock<IShowcaseReader> reader = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Guid viewer = Guid.NewGuid();

    public ListPublicVideosHandlerTests() =>
        storage.Setup(s => s.GetDownloadUrl(It.IsAny<string>())).Returns<string>(k => new Uri($"https://cdn.test/{k}"));

    private ListPublicVideosHandler CreateHandler() => new(reader.Object, storage.Object);

    [Fact]
    public async Task Handle_AnonymousViewer_FoldsCityAndLeavesVotedByMeNull()
    {
        var id = Guid.NewGuid();
        reader.Setup(r => r.ListPublicVideosAsync("bogota", 20, 0, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new PublicVideoRow(id, "t", "Ana Gómez", "Bogotá", 3, "processed/x.mp4", "processed/x.jpg", false)]);

        var items = await CreateHandler().Handle(new ListPublicVideosQuery(20, 0, " Bogotá ", null), default);

        Assert.Equal([new PublicVideoItem(id, "t", "Ana Gómez", "Bogotá", 3, new Uri("https://cdn.test/processed/x.mp4"), new Uri("https://cdn.test/processed/x.jpg"), null)], items);
    }

    [Fact]
    public async Task Handle_SignedInViewer_SaysWhichVideosTheyVotedFor()
    {
        reader.Setup(r => r.ListPublicVideosAsync(null, 5, 10, viewer, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new PublicVideoRow(Guid.NewGuid(), "t", "n", "c", 1, "k", null, true), new PublicVideoRow(Guid.NewGuid(), "u", "n", "c", 0, "k2", null, false)]);

        var items = await CreateHandler().Handle(new ListPublicVideosQuery(5, 10, null, viewer), default);

        Assert.Equal([true, false], items.Select(i => i.VotedByMe));
    }
}
