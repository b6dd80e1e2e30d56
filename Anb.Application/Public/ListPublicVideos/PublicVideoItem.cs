using System.Text.Json.Serialization;

namespace Anb.Application.Public.ListPublicVideos;

public sealed record PublicVideoItem(
    Guid VideoId,
    string Title,
    string Username,
    string City,
    int Votes,
    Uri ProcessedUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? VotedByMe);
