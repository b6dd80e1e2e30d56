using Anb.Domain.Common;

namespace Anb.Domain.Videos;

/// <summary>
/// A player's clip and its processing state. Status only moves forward:
/// uploaded -> processing -> processed | failed (a retry re-enters processing).
/// A worker claims a video with a lease (owner and expiry) taken and renewed in the database by the
/// repository's conditional updates; the lease ends with processing.
/// </summary>
public sealed class Video
{
    public const int MaxTitleLength = 200;

    /// <summary>The share of the output written when processing is done, in percent.</summary>
    public const int MaxProgress = 100;

    private Video()
    {
    }

    public Guid Id { get; private set; }

    public Guid OwnerId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public VideoStatus Status { get; private set; }

    public string OriginalKey { get; private set; } = string.Empty;

    public string? ProcessedKey { get; private set; }

    /// <summary>A JPEG frame of the clip's body, stored beside the processed file; null until processed (and for videos processed before posters existed).</summary>
    public string? PosterKey { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    /// <summary>
    /// When a task for this video was handed to the queue; null while none is known to be. The repository sets it
    /// with one conditional update after the enqueue; an <c>uploaded</c> row without it is enqueued by the stale-video sweep.
    /// </summary>
    public DateTimeOffset? QueuedAt { get; private set; }

    public DateTimeOffset? ProcessingStartedAt { get; private set; }

    public DateTimeOffset? ProcessedAt { get; private set; }

    public string? FailureReason { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>The worker that holds this video while it is processed (see <see cref="LeaseExpiresAt"/>).</summary>
    public string? LeaseOwner { get; private set; }

    /// <summary>Until when <see cref="LeaseOwner"/> holds the video; after it, any worker may claim it again.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>
    /// The share of the ANB version written so far (0 to <see cref="MaxProgress"/>) while the video is processing; null in
    /// every other status. The worker writes it in the database with a conditional update, like the lease.
    /// </summary>
    public int? Progress { get; private set; }

    /// <summary>Votes cast for this video, kept in step with the votes table in the same transaction.</summary>
    public int VoteCount { get; private set; }

    public bool IsPublic => Status == VideoStatus.Processed;

    public static Video Create(Guid id, Guid ownerId, string title, string originalKey, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(originalKey);
        title = title.Trim();
        if (title.Length > MaxTitleLength)
        {
            throw new DomainException(DomainRule.TitleTooLong);
        }

        return new Video
        {
            Id = id,
            OwnerId = ownerId,
            Title = title,
            OriginalKey = originalKey,
            Status = VideoStatus.Uploaded,
            UploadedAt = now,
        };
    }

    /// <summary>Starts (or retries) processing; counts the attempt.</summary>
    public void StartProcessing(DateTimeOffset now)
    {
        if (Status is not (VideoStatus.Uploaded or VideoStatus.Processing))
        {
            throw new InvalidVideoTransitionException(Status, "start processing");
        }

        Status = VideoStatus.Processing;
        ProcessingStartedAt = now;
        Progress = 0;
        Attempts++;
    }

    /// <summary>
    /// <see cref="StartProcessing(DateTimeOffset)"/> under a lease held by <paramref name="worker"/> until
    /// <paramref name="leaseExpiresAt"/>: the in-memory form of the repository's claim, which takes it in the
    /// database with one conditional update.
    /// </summary>
    public void StartProcessing(DateTimeOffset now, string worker, DateTimeOffset leaseExpiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        if (LeaseExpiresAt > now)
        {
            throw new InvalidVideoTransitionException(Status, "be claimed while a lease on it lasts");
        }

        StartProcessing(now);
        LeaseOwner = worker;
        LeaseExpiresAt = leaseExpiresAt;
    }

    public void MarkProcessed(string processedKey, string posterKey, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processedKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(posterKey);
        if (Status != VideoStatus.Processing)
        {
            throw new InvalidVideoTransitionException(Status, "be marked processed");
        }

        Status = VideoStatus.Processed;
        ProcessedKey = processedKey;
        PosterKey = posterKey;
        ProcessedAt = now;
        FailureReason = null;
        Progress = null;
        EndLease();
    }

    public void MarkFailed(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Status is VideoStatus.Processed or VideoStatus.Failed)
        {
            throw new InvalidVideoTransitionException(Status, "be marked failed");
        }

        Status = VideoStatus.Failed;
        FailureReason = reason.Length > 500 ? reason[..500] : reason;
        Progress = null;
        EndLease();
    }

    /// <summary>
    /// Whether <paramref name="worker"/> still holds the lease: its claim was the last one, even if it expired
    /// meanwhile (nobody else claimed the video since).
    /// </summary>
    public bool IsLeasedBy(string worker) => LeaseOwner is not null && LeaseOwner == worker;

    public bool IsOwnedBy(Guid userId) => OwnerId == userId;

    /// <summary>A video may be deleted until it is public.</summary>
    public void EnsureCanBeDeleted()
    {
        if (IsPublic)
        {
            throw new DomainException(DomainRule.VideoAlreadyPublic);
        }
    }

    /// <summary>Checks that <paramref name="voterId"/> may vote for this video.</summary>
    public void EnsureCanBeVotedBy(Guid voterId)
    {
        if (!IsPublic)
        {
            throw new DomainException(DomainRule.VideoNotOpenForVoting);
        }

        if (IsOwnedBy(voterId))
        {
            throw new DomainException(DomainRule.OwnVideoVote);
        }
    }

    private void EndLease()
    {
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>Storage keys of every object that belongs to this video.</summary>
    public IReadOnlyList<string> StoredObjectKeys() =>
        [OriginalKey, .. new[] { ProcessedKey, PosterKey }.OfType<string>()];
}
