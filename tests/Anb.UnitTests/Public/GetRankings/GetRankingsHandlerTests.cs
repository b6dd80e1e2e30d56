using Anb.Application.Abstractions;
using Anb.Application.Public.GetRankings;
using Moq;

namespace Anb.UnitTests.Public.GetRankings;

public sealed class GetRankingsHandlerTests
{
    private readonly Mock<IShowcaseReader> reader = new();

    [Fact]
    public async Task Handle_PageAfterAnOffset_NumbersPositionsFromTheOffset()
    {
        reader.Setup(r => r.RankPlayersAsync("medellin", 2, 4, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new PlayerRankRow("A B", "Medellín", 9), new PlayerRankRow("C D", "Medellín", 7)]);

        var ranking = await new GetRankingsHandler(reader.Object).Handle(new GetRankingsQuery("MEDELLIN", 2, 4), default);

        Assert.Equal([new RankingEntry(5, "A B", "Medellín", 9), new RankingEntry(6, "C D", "Medellín", 7)], ranking);
    }
}
