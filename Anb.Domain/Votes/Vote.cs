namespace Anb.Domain.Votes;

/// <summary>One player's vote for one video; (UserId, VideoId) is unique. Written by the vote repository in SQL, read by the model.</summary>
public sealed class Vote
{
    private Vote()
    {
    }

    public Guid UserId { get; private set; }

    public Guid VideoId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
