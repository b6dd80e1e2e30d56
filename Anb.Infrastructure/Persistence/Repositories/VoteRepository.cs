using Anb.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace Anb.Infrastructure.Persistence.Repositories;

/// <summary>
/// A vote and both counters in one statement (one transaction): the insert is skipped by the primary key
/// (user_id, video_id) when the vote exists, and the counters only move for a row that was inserted.
/// </summary>
internal sealed class VoteRepository(AnbDbContext db) : IVoteRepository
{
    public async Task<bool> TryCastAsync(Guid userId, Guid videoId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counted = await db.Database.SqlQuery<int>($"""
            WITH inserted AS (
                INSERT INTO votes (user_id, video_id, created_at) VALUES ({userId}, {videoId}, {now})
                ON CONFLICT (user_id, video_id) DO NOTHING
                RETURNING video_id),
            video AS (
                UPDATE videos SET vote_count = vote_count + 1
                WHERE id IN (SELECT video_id FROM inserted)
                RETURNING owner_id)
            UPDATE users SET total_votes = total_votes + 1
            WHERE id IN (SELECT owner_id FROM video)
            RETURNING 1 AS "Value"
            """).ToListAsync(cancellationToken);
        return counted.Count == 1;
    }
}
