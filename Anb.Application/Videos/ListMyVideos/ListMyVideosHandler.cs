using Anb.Application.Abstractions;
using Anb.Application.Videos.Common;
using Mediator;

namespace Anb.Application.Videos.ListMyVideos;

public sealed class ListMyVideosHandler(IVideoRepository videos, IObjectStorage storage, VideoMapper mapper)
    : IQueryHandler<ListMyVideosQuery, IReadOnlyList<MyVideoItem>>
{
    public async ValueTask<IReadOnlyList<MyVideoItem>> Handle(ListMyVideosQuery query, CancellationToken cancellationToken)
    {
        var owned = await videos.ListByOwnerAsync(query.UserId, cancellationToken);
        return owned.Select(v => mapper.ToItem(v, storage.LinkTo(v.ProcessedKey), storage.LinkTo(v.PosterKey))).ToList();
    }
}
