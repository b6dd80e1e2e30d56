using Anb.Application.Abstractions;
using Anb.Domain.Videos;
using Microsoft.EntityFrameworkCore;

namespace Anb.Infrastructure.Persistence.Repositories;

internal sealed class VideoRepository(AnbDbContext db) : IVideoRepository
{
    public Task<Video?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Videos.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Video>> ListByOwnerAsync(Guid ownerId, CancellationToken cancellationToken) =>
        await db.Videos.AsNoTracking()
            .Where(v => v.OwnerId == ownerId)
            .OrderBy(v => v.UploadedAt).ThenBy(v => v.Id)
            .ToListAsync(cancellationToken);

    // Lease times are the database's clock (now()), so workers on machines whose clocks differ still agree.
    // Two claims at once: the second waits for the first's row lock, then finds the lease live and updates nothing.
    public async Task<bool> TryClaimAsync(Guid id, string worker, TimeSpan lease, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE videos
            SET lease_owner = {worker}, lease_expires_at = now() + {lease}, status = 'processing',
                attempts = attempts + 1, processing_started_at = now(), progress = 0
            WHERE id = {id} AND status IN ('uploaded', 'processing')
              AND (lease_expires_at IS NULL OR lease_expires_at < now())
            """,
            cancellationToken) == 1;

    public async Task<bool> RenewLeaseAsync(Guid id, string worker, TimeSpan lease, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE videos SET lease_expires_at = now() + {lease}
            WHERE id = {id} AND lease_owner = {worker} AND status = 'processing'
            """,
            cancellationToken) == 1;

    public async Task<bool> ReportProgressAsync(Guid id, string worker, int progress, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE videos SET progress = {progress}
            WHERE id = {id} AND lease_owner = {worker} AND status = 'processing'
            """,
            cancellationToken) == 1;

    public Task ReleaseLeaseAsync(Guid id, string worker, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"UPDATE videos SET lease_owner = NULL, lease_expires_at = NULL WHERE id = {id} AND lease_owner = {worker}",
            cancellationToken);

    public async Task<IReadOnlyList<Video>> ListStaleAsync(
        DateTimeOffset processingBefore, DateTimeOffset queuedBefore, DateTimeOffset unqueuedBefore, int max, CancellationToken cancellationToken) =>
        await db.Videos
            .Where(v => (v.Status == VideoStatus.Processing
                    && (v.LeaseExpiresAt == null ? v.ProcessingStartedAt < processingBefore : v.LeaseExpiresAt < DateTimeOffset.UtcNow))
                || (v.Status == VideoStatus.Uploaded
                    && (v.QueuedAt == null ? v.UploadedAt < unqueuedBefore : v.QueuedAt < queuedBefore)))
            .OrderBy(v => v.UploadedAt)
            .Take(max)
            .ToListAsync(cancellationToken);

    public Task MarkQueuedAsync(Guid id, CancellationToken cancellationToken) =>
        db.Videos.Where(v => v.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.QueuedAt, _ => (DateTimeOffset?)DateTimeOffset.UtcNow), cancellationToken);

    public async Task<IReadOnlySet<Guid>> FindExistingAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? new HashSet<Guid>()
            : await db.Videos.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => v.Id).ToHashSetAsync(cancellationToken);

    public void Add(Video video) => db.Videos.Add(video);

    public void Remove(Video video)
    {
        if (db.Entry(video).State == EntityState.Detached)
        {
            db.Videos.Attach(video);
        }

        db.Videos.Remove(video);
    }
}
