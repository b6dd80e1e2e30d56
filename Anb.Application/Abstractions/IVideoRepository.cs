using Anb.Domain.Videos;

namespace Anb.Application.Abstractions;

/// <summary>Videos as aggregates: load, add, remove; changes are committed by <see cref="IUnitOfWork"/>.</summary>
public interface IVideoRepository
{
    Task<Video?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The player's videos, oldest upload first.</summary>
    Task<IReadOnlyList<Video>> ListByOwnerAsync(Guid ownerId, CancellationToken cancellationToken);

    /// <summary>Videos stuck in <c>processing</c> since before <paramref name="processingBefore"/> or still <c>uploaded</c> since before <paramref name="uploadedBefore"/>.</summary>
    Task<IReadOnlyList<Video>> ListStaleAsync(
        DateTimeOffset processingBefore, DateTimeOffset uploadedBefore, int max, CancellationToken cancellationToken);

    void Add(Video video);

    void Remove(Video video);
}
