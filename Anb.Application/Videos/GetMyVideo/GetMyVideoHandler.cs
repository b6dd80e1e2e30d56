using Anb.Application.Abstractions;
using Anb.Application.Videos.Common;
using Mediator;

namespace Anb.Application.Videos.GetMyVideo;

public sealed class GetMyVideoHandler(IVideoRepository videos, IObjectStorage storage, VideoMapper mapper)
    : IQueryHandler<GetMyVideoQuery, MyVideoDetail>
{
    public async ValueTask<MyVideoDetail> Handle(GetMyVideoQuery query, CancellationToken cancellationToken)
    {
        var video = await videos.FindOwnedAsync(query.VideoId, query.UserId, cancellationToken);
        return mapper.ToDetail(
            video,
            storage.GetDownloadUrl(video.OriginalKey),
            storage.LinkTo(video.ProcessedKey),
            storage.LinkTo(video.PosterKey));
    }
}
