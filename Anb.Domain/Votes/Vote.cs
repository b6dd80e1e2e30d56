namespace Anb.Domain.Votes;

/// <summary>One player's vote for one video; (UserId, VideoId) is unique.</summary>
public sealed class Vote
{
    private Vote()
    {
    }

    public Guid UserId { get; private set; }

    public Guid VideoId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Vote Cast(Guid userId, Guid videoId, DateTimeOffset now) =>
        new() { UserId = userId, VideoId = videoId, CreatedAt = now };
}
