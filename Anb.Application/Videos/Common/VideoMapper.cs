using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Domain.Videos;
using Riok.Mapperly.Abstractions;

namespace Anb.Application.Videos.Common;

/// <summary>Video to the contract's shapes; the download links are made by storage and passed in.</summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public sealed partial class VideoMapper
{
    [MapProperty(nameof(Video.Id), nameof(MyVideoItem.VideoId))]
    public partial MyVideoItem ToItem(Video video, Uri? processedUrl, Uri? posterUrl);

    [MapProperty(nameof(Video.Id), nameof(MyVideoDetail.VideoId))]
    [MapProperty(nameof(Video.VoteCount), nameof(MyVideoDetail.Votes))]
    public partial MyVideoDetail ToDetail(Video video, Uri originalUrl, Uri? processedUrl, Uri? posterUrl);
}
