using Anb.Domain.Videos;

namespace Anb.Application.Abstractions;

/// <summary>Videos as aggregates: load, add, remove; changes are committed by <see cref="IUnitOfWork"/>.</summary>
public interface IVideoRepository
{
    Task<Video?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The player's videos, oldest upload first.</summary>
    Task<IReadOnlyList<Video>> ListByOwnerAsync(Guid ownerId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the video for <paramref name="worker"/> in one conditional update: only an <c>uploaded</c> or
    /// <c>processing</c> video whose lease is absent or expired, which then becomes <c>processing</c> with a new
    /// attempt and a lease of <paramref name="lease"/> (database clock). False when it was not claimable
    /// (deleted, finished, or leased by a live worker).
    /// </summary>
    Task<bool> TryClaimAsync(Guid id, string worker, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="worker"/>'s lease to <paramref name="lease"/> from now; false when it no longer holds it.</summary>
    Task<bool> RenewLeaseAsync(Guid id, string worker, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="progress"/> (percent) of a video <paramref name="worker"/> is processing under its lease, in one
    /// conditional update; false when it no longer holds the lease.
    /// </summary>
    Task<bool> ReportProgressAsync(Guid id, string worker, int progress, CancellationToken cancellationToken);

    /// <summary>Gives up <paramref name="worker"/>'s lease, if it still holds it, so the next delivery may claim the video at once.</summary>
    Task ReleaseLeaseAsync(Guid id, string worker, CancellationToken cancellationToken);

    /// <summary>
    /// Videos left behind: <c>processing</c> with an expired lease (its worker died), <c>processing</c> without a
    /// lease since before <paramref name="processingBefore"/>, <c>uploaded</c> and queued (<see cref="Video.QueuedAt"/>)
    /// since before <paramref name="queuedBefore"/>, or <c>uploaded</c> and never marked queued since before
    /// <paramref name="unqueuedBefore"/> (its enqueue failed or its API died before marking it). Oldest upload first.
    /// </summary>
    Task<IReadOnlyList<Video>> ListStaleAsync(
        DateTimeOffset processingBefore, DateTimeOffset queuedBefore, DateTimeOffset unqueuedBefore, int max, CancellationToken cancellationToken);

    /// <summary>Records that a task for the video was just enqueued (database clock), in one statement without loading the row.</summary>
    Task MarkQueuedAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="ids"/> have a row.</summary>
    Task<IReadOnlySet<Guid>> FindExistingAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    void Add(Video video);

    void Remove(Video video);
}
