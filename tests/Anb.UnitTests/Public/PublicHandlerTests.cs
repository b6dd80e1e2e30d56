using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Public.CastVote;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.Domain.Common;
using Anb.UnitTests.Videos;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Public;

public sealed class PublicHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IVoteRepository> votes = new();
    private readonly Mock<IShowcaseReader> reader = new();
    private readonly Mock<IObjectStorage> storage = new();
    private readonly FakeTimeProvider time = new(VideoTestData.Now);
    private readonly Guid voter = Guid.NewGuid();

    public PublicHandlerTests() =>
        storage.Setup(s => s.GetDownloadUrl(It.IsAny<string>())).Returns<string>(k => new Uri($"https://cdn.test/{k}"));

    private CastVoteHandler VoteHandler() => new(videos.Object, votes.Object, time);

    [Fact]
    public async Task Vote_ProcessedVideoOfAnotherPlayer_IsRecorded()
    {
        var video = VideoTestData.Processed();
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        votes.Setup(v => v.TryCastAsync(voter, video.Id, time.GetUtcNow(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var response = await VoteHandler().Handle(new CastVoteCommand(voter, video.Id), default);

        Assert.Equal("Voto registrado exitosamente.", response.Message);
    }

    [Fact]
    public async Task Vote_Duplicate_Throws400WithContractMessage()
    {
        var video = VideoTestData.Processed();
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        votes.Setup(v => v.TryCastAsync(voter, video.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => VoteHandler().Handle(new CastVoteCommand(voter, video.Id), default).AsTask());

        Assert.Equal("Ya has votado por este video.", error.Message);
    }

    [Fact]
    public async Task Vote_UnknownVideo_Throws404()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => VoteHandler().Handle(new CastVoteCommand(voter, Guid.NewGuid()), default).AsTask());

        Assert.Equal("Video no encontrado.", error.Message);
        votes.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Vote_NotProcessedOrOwnVideo_Throws400WithoutVoting()
    {
        var pending = VideoTestData.Uploaded();
        var own = VideoTestData.Processed(voter);
        videos.Setup(v => v.FindAsync(pending.Id, It.IsAny<CancellationToken>())).ReturnsAsync(pending);
        videos.Setup(v => v.FindAsync(own.Id, It.IsAny<CancellationToken>())).ReturnsAsync(own);

        await Assert.ThrowsAsync<DomainException>(() => VoteHandler().Handle(new CastVoteCommand(voter, pending.Id), default).AsTask());
        await Assert.ThrowsAsync<DomainException>(() => VoteHandler().Handle(new CastVoteCommand(voter, own.Id), default).AsTask());
        votes.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PublicVideos_AnonymousViewer_HasNoVotedByMe()
    {
        var id = Guid.NewGuid();
        reader.Setup(r => r.ListPublicVideosAsync("bogota", 20, 0, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new PublicVideoRow(id, "t", "Ana Gómez", "Bogotá", 3, "processed/x.mp4", false)]);

        var items = await new ListPublicVideosHandler(reader.Object, storage.Object)
            .Handle(new ListPublicVideosQuery(20, 0, " Bogotá ", null), default);

        Assert.Equal([new PublicVideoItem(id, "t", "Ana Gómez", "Bogotá", 3, new Uri("https://cdn.test/processed/x.mp4"), null)], items);
    }

    [Fact]
    public async Task PublicVideos_SignedInViewer_GetsVotedByMe()
    {
        reader.Setup(r => r.ListPublicVideosAsync(null, 5, 10, voter, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new PublicVideoRow(Guid.NewGuid(), "t", "n", "c", 1, "k", true), new PublicVideoRow(Guid.NewGuid(), "u", "n", "c", 0, "k2", false)]);

        var items = await new ListPublicVideosHandler(reader.Object, storage.Object)
            .Handle(new ListPublicVideosQuery(5, 10, null, voter), default);

        Assert.Equal([true, false], items.Select(i => i.VotedByMe));
    }

    [Fact]
    public async Task Rankings_PositionsCountTheOffset()
    {
        reader.Setup(r => r.RankPlayersAsync("medellin", 2, 4, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new PlayerRankRow("A B", "Medellín", 9), new PlayerRankRow("C D", "Medellín", 7)]);

        var ranking = await new GetRankingsHandler(reader.Object).Handle(new GetRankingsQuery("MEDELLIN", 2, 4), default);

        Assert.Equal([new RankingEntry(5, "A B", "Medellín", 9), new RankingEntry(6, "C D", "Medellín", 7)], ranking);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(101, 0)]
    [InlineData(10, -1)]
    public void Validators_OutOfRange_SayInvalidParameter(int limit, int offset)
    {
        var rankings = new GetRankingsValidator().Validate(new GetRankingsQuery(null, limit, offset));
        var list = new ListPublicVideosValidator().Validate(new ListPublicVideosQuery(limit, offset, null, null));

        Assert.Equal("Parámetro inválido en la consulta.", Assert.Single(rankings.Errors).ErrorMessage);
        Assert.Equal("Parámetro inválido en la consulta.", Assert.Single(list.Errors).ErrorMessage);
    }

    [Fact]
    public void Validators_Bounds_Pass()
    {
        Assert.True(new GetRankingsValidator().Validate(new GetRankingsQuery("Cali", 100, 0)).IsValid);
        Assert.True(new ListPublicVideosValidator().Validate(new ListPublicVideosQuery(1, 0, null, null)).IsValid);
    }
}
