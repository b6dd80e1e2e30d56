using Anb.Application.Abstractions;
using Anb.Application.Public.Common;
using Mediator;

namespace Anb.Application.Public.GetRankings;

public sealed class GetRankingsHandler(IShowcaseReader reader) : IQueryHandler<GetRankingsQuery, IReadOnlyList<RankingEntry>>
{
    public async ValueTask<IReadOnlyList<RankingEntry>> Handle(GetRankingsQuery query, CancellationToken cancellationToken)
    {
        var rows = await reader.RankPlayersAsync(query.CityKey(), query.Limit, query.Offset, cancellationToken);
        return rows.Select((r, i) => new RankingEntry(query.Offset + i + 1, r.Name, r.City, r.Votes)).ToList();
    }
}
