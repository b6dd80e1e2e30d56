using Anb.Application.Abstractions;
using Anb.Application.Public.Common;
using Mediator;

namespace Anb.Application.Public.ListPublicVideos;

public sealed class ListPublicVideosHandler(IShowcaseReader reader, IObjectStorage storage)
    : IQueryHandler<ListPublicVideosQuery, IReadOnlyList<PublicVideoItem>>
{
    public async ValueTask<IReadOnlyList<PublicVideoItem>> Handle(ListPublicVideosQuery query, CancellationToken cancellationToken)
    {
        var rows = await reader.ListPublicVideosAsync(query.CityKey(), query.Limit, query.Offset, query.ViewerId, cancellationToken);
        return rows.Select(r => r.ToItem(storage, query.ViewerId)).ToList();
    }
}
