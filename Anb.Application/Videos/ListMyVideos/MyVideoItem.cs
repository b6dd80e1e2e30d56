using Anb.Domain.Videos;

namespace Anb.Application.Videos.ListMyVideos;

public sealed record MyVideoItem(
    Guid VideoId,
    string Title,
    VideoStatus Status,
    DateTimeOffset UploadedAt,
    DateTimeOffset? ProcessedAt,
    Uri? ProcessedUrl);
