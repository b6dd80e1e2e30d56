namespace Anb.Application.Abstractions;

public sealed record PublicVideoRow(
    Guid VideoId, string Title, string OwnerName, string City, int Votes, string ProcessedKey, string? PosterKey, bool VotedByViewer);

public sealed record PlayerRankRow(string Name, string City, int Votes);

/// <summary>Read side of the public showcase: ordered, paged and backed by indexes.</summary>
public interface IShowcaseReader
{
    /// <summary>Processed videos by votes (desc), then newest; <paramref name="cityKey"/> filters by the owner's city.</summary>
    Task<IReadOnlyList<PublicVideoRow>> ListPublicVideosAsync(
        string? cityKey, int limit, int offset, Guid? viewerId, CancellationToken cancellationToken);

    /// <summary>The video if it is processed (public), else null.</summary>
    Task<PublicVideoRow?> FindPublicVideoAsync(Guid videoId, Guid? viewerId, CancellationToken cancellationToken);

    /// <summary>Players (users with at least one processed video) by total votes (desc), ties by earlier sign-up.</summary>
    Task<IReadOnlyList<PlayerRankRow>> RankPlayersAsync(string? cityKey, int limit, int offset, CancellationToken cancellationToken);
}
