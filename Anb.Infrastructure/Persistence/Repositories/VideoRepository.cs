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

    public async Task<IReadOnlyList<Video>> ListStaleAsync(
        DateTimeOffset processingBefore, DateTimeOffset uploadedBefore, int max, CancellationToken cancellationToken) =>
        await db.Videos
            .Where(v => (v.Status == VideoStatus.Processing && v.ProcessingStartedAt < processingBefore)
                || (v.Status == VideoStatus.Uploaded && v.UploadedAt < uploadedBefore))
            .OrderBy(v => v.UploadedAt)
            .Take(max)
            .ToListAsync(cancellationToken);

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
