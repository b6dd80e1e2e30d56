using Anb.Application.Public.Common;
using Mediator;

namespace Anb.Application.Public.GetRankings;

public sealed record GetRankingsQuery(string? City, int Limit, int Offset) : IQuery<IReadOnlyList<RankingEntry>>, IShowcasePageQuery
{
    public const int DefaultLimit = 10;
}
