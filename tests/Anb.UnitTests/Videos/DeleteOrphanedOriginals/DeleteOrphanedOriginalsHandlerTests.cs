using Anb.Application.Abstractions;
using Anb.Application.Videos.DeleteOrphanedOriginals;
using Anb.UnitTests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Videos.DeleteOrphanedOriginals;

public sealed class DeleteOrphanedOriginalsHandlerTests
{
    private readonly Mock<IObjectStorage> storage = new();
    private readonly Mock<IVideoRepository> videos = new();
    private readonly FakeTimeProvider time = new(VideoTestData.Now);

    private DateTimeOffset Old => time.GetUtcNow().AddSeconds(-3601);

    private DateTimeOffset Young => time.GetUtcNow().AddSeconds(-3599);

    private DeleteOrphanedOriginalsHandler CreateHandler() => new(
        storage.Object, videos.Object, Options.Create(new OrphanedOriginalsOptions { OrphanGraceSeconds = 3600 }),
        time, NullLogger<DeleteOrphanedOriginalsHandler>.Instance);

    private void Stored(string? startAfter, params StoredObject[] objects) =>
        storage.Setup(s => s.ListAsync("originals/", startAfter, It.IsAny<CancellationToken>())).Returns(objects.ToAsyncEnumerable());

    private void WithRows(params Guid[] ids) =>
        videos.Setup(v => v.FindExistingAsync(It.IsAny<IReadOnlyCollection<Guid>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<Guid> asked, CancellationToken _) => asked.Intersect(ids).ToHashSet());

    private static string Original(Guid id) => $"originals/{id:N}.mp4";

    [Fact]
    public async Task Handle_DeletesOnlyOriginalsOlderThanTheGraceWhoseVideoHasNoRow()
    {
        Guid orphan = Guid.NewGuid(), youngOrphan = Guid.NewGuid(), withRow = Guid.NewGuid();
        Stored(null, new(Original(orphan), Old), new(Original(youngOrphan), Young), new(Original(withRow), Old));
        WithRows(withRow);

        var result = await CreateHandler().Handle(new DeleteOrphanedOriginalsCommand(), default);

        Assert.Equal(new DeleteOrphanedOriginalsResult(3, 1, null), result);
        storage.Verify(s => s.DeleteAsync(Original(orphan), It.IsAny<CancellationToken>()), Times.Once);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        videos.Verify(v => v.FindExistingAsync(
            It.Is<IReadOnlyCollection<Guid>>(ids => ids.Order().SequenceEqual(new[] { orphan, withRow }.Order())), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Handle_KeysThatAreNotAnOriginalOfAVideo_AreLeftAlone()
    {
        Stored(null, new("originals/notes.txt", Old), new($"originals/{Guid.NewGuid():D}.mp4", Old), new("originals/sub/x.mp4", Old));
        WithRows();

        var result = await CreateHandler().Handle(new DeleteOrphanedOriginalsCommand(), default);

        Assert.Equal(new DeleteOrphanedOriginalsResult(3, 0, null), result);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_MoreThanMaxObjects_StopsThereAndSaysWhereToGoOn()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        Stored(Original(ids[0]), [.. ids[1..].Select(id => new StoredObject(Original(id), Old))]);
        WithRows(ids[2]);

        var result = await CreateHandler().Handle(new DeleteOrphanedOriginalsCommand(Original(ids[0]), MaxObjects: 2), default);

        Assert.Equal(new DeleteOrphanedOriginalsResult(2, 1, Original(ids[2])), result);
        storage.Verify(s => s.DeleteAsync(Original(ids[1]), It.IsAny<CancellationToken>()), Times.Once);
        storage.Verify(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_NothingOldEnough_LooksUpNoRows()
    {
        Stored(null, new StoredObject(Original(Guid.NewGuid()), Young));

        var result = await CreateHandler().Handle(new DeleteOrphanedOriginalsCommand(), default);

        Assert.Equal(new DeleteOrphanedOriginalsResult(1, 0, null), result);
        videos.VerifyNoOtherCalls();
    }
}
