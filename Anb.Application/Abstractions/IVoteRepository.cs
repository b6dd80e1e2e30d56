namespace Anb.Application.Abstractions;

public interface IVoteRepository
{
    /// <summary>
    /// Records the vote and bumps the video's and its owner's counts in one transaction. Returns false
    /// when the player already voted for the video (the store's unique key decides, so concurrent
    /// duplicates count once).
    /// </summary>
    Task<bool> TryCastAsync(Guid userId, Guid videoId, DateTimeOffset now, CancellationToken cancellationToken);
}
