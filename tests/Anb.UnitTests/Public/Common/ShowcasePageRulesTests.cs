using Anb.Application.Common.Messages;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;

namespace Anb.UnitTests.Public.Common;

public sealed class ShowcasePageRulesTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(101, 0)]
    [InlineData(10, -1)]
    public void Validate_OutOfRange_SaysInvalidParameter(int limit, int offset)
    {
        var rankings = new GetRankingsValidator().Validate(new GetRankingsQuery(null, limit, offset));
        var list = new ListPublicVideosValidator().Validate(new ListPublicVideosQuery(limit, offset, null, null));

        Assert.Equal(ClientMessages.Queries.InvalidParameter, Assert.Single(rankings.Errors).ErrorMessage);
        Assert.Equal(ClientMessages.Queries.InvalidParameter, Assert.Single(list.Errors).ErrorMessage);
    }

    [Fact]
    public void Validate_Bounds_Pass()
    {
        Assert.True(new GetRankingsValidator().Validate(new GetRankingsQuery("Cali", 100, 0)).IsValid);
        Assert.True(new ListPublicVideosValidator().Validate(new ListPublicVideosQuery(1, 0, null, null)).IsValid);
    }
}
