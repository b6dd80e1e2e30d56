using Anb.Domain.Videos;

namespace Anb.Application.Videos.ListMyVideos;

/// <param name="PosterUrl">A JPEG frame of the clip's body; null until the video is processed.</param>
/// <param name="Progress">Percent of the ANB version written while <c>processing</c>; null otherwise (then left out of the answer).</param>
public sealed record MyVideoItem(
    Guid VideoId,
    string Title,
    VideoStatus Status,
    DateTimeOffset UploadedAt,
    DateTimeOffset? ProcessedAt,
    Uri? ProcessedUrl,
    Uri? PosterUrl,
    int? Progress);
