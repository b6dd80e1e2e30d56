using Anb.Domain.Videos;

namespace Anb.Application.Videos.GetMyVideo;

/// <param name="PosterUrl">A JPEG frame of the clip's body; null until the video is processed.</param>
/// <param name="Progress">Percent of the ANB version written while <c>processing</c>; null otherwise (then left out of the answer).</param>
/// <param name="FailureReason">Why processing failed; null unless the video is <c>failed</c> (then left out of the answer).</param>
public sealed record MyVideoDetail(
    Guid VideoId,
    string Title,
    VideoStatus Status,
    DateTimeOffset UploadedAt,
    DateTimeOffset? ProcessedAt,
    Uri OriginalUrl,
    Uri? ProcessedUrl,
    Uri? PosterUrl,
    int Votes,
    string? FailureReason,
    int? Progress);
