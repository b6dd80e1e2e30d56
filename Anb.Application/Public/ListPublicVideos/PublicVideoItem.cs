namespace Anb.Application.Public.ListPublicVideos;

/// <param name="PosterUrl">A JPEG frame of the clip's body; null for a video processed before posters were made.</param>
/// <param name="VotedByMe">Whether the viewer voted for it; null for an anonymous viewer (then left out of the answer).</param>
public sealed record PublicVideoItem(
    Guid VideoId,
    string Title,
    string Username,
    string City,
    int Votes,
    Uri ProcessedUrl,
    Uri? PosterUrl,
    bool? VotedByMe);
