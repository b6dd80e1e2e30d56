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
        return rows.Select(r => new PublicVideoItem(
                r.VideoId,
                r.Title,
                r.OwnerName,
                r.City,
                r.Votes,
                storage.GetDownloadUrl(r.ProcessedKey),
                query.ViewerId is null ? null : r.VotedByViewer))
            .ToList();
    }
}
