using System.Text.Json.Serialization;
using Anb.Domain.Videos;

namespace Anb.Application.Videos.GetMyVideo;

public sealed record MyVideoDetail(
    Guid VideoId,
    string Title,
    VideoStatus Status,
    DateTimeOffset UploadedAt,
    DateTimeOffset? ProcessedAt,
    Uri OriginalUrl,
    Uri? ProcessedUrl,
    int Votes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailureReason);
