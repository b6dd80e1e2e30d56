using Anb.Application.Abstractions;
using Anb.Domain.Videos;
using Microsoft.EntityFrameworkCore;

namespace Anb.Infrastructure.Persistence;

/// <summary>The public showcase's reads; each one walks an index in order (see the entity configurations).</summary>
internal sealed class ShowcaseReader(AnbDbContext db) : IShowcaseReader
{
    public async Task<IReadOnlyList<PublicVideoRow>> ListPublicVideosAsync(
        string? cityKey, int limit, int offset, Guid? viewerId, CancellationToken cancellationToken)
    {
        var query =
            from v in db.Videos.AsNoTracking()
            join u in db.Users.AsNoTracking() on v.OwnerId equals u.Id
            where v.Status == VideoStatus.Processed && (cityKey == null || u.CityKey == cityKey)
            orderby v.VoteCount descending, v.ProcessedAt descending, v.Id
            select new PublicVideoRow(
                v.Id,
                v.Title,
                u.FirstName + " " + u.LastName,
                u.City,
                v.VoteCount,
                v.ProcessedKey!,
                viewerId != null && db.Votes.Any(x => x.UserId == viewerId && x.VideoId == v.Id));
        return await query.Skip(offset).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PlayerRankRow>> RankPlayersAsync(
        string? cityKey, int limit, int offset, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        if (cityKey is not null)
        {
            users = users.Where(u => u.CityKey == cityKey);
        }

        return await users
            .OrderByDescending(u => u.TotalVotes).ThenBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip(offset).Take(limit)
            .Select(u => new PlayerRankRow(u.FirstName + " " + u.LastName, u.City, u.TotalVotes))
            .ToListAsync(cancellationToken);
    }
}
