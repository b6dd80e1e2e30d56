namespace Anb.Domain.Common;

/// <summary>The rules of the domain that a client's request can break.</summary>
public enum DomainRule
{
    /// <summary>A title longer than <see cref="Videos.Video.MaxTitleLength"/>.</summary>
    TitleTooLong,

    /// <summary>A processed (public) video cannot be deleted.</summary>
    VideoAlreadyPublic,

    /// <summary>Only processed videos take votes.</summary>
    VideoNotOpenForVoting,

    /// <summary>A player may not vote for their own video.</summary>
    OwnVideoVote,
}
