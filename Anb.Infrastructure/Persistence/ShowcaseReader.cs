using Anb.Application.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Anb.Infrastructure.Persistence;

/// <summary>
/// The public showcase's reads, in SQL over the tables of the EF Core model (snake_case names), straight on
/// the data source: they are the hottest queries of the service and need no change tracking or model.
/// Each one walks an index in order (see the entity configurations): <c>ix_users_ranking</c> or
/// <c>ix_users_city_ranking</c> for rankings (each user checked for a processed video with an index-only
/// probe of <c>ix_videos_processed_owner</c>), <c>ix_videos_public</c> for public videos. One statement per
/// shape (with or without city) so each prepared plan fits its index.
/// </summary>
internal sealed class ShowcaseReader(NpgsqlDataSource dataSource) : IShowcaseReader
{
    // Players only: accounts without a processed video are not listed. 'processed' is the filter of ix_videos_processed_owner.
    private const string RankingColumns = """
        SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u
        WHERE EXISTS (SELECT 1 FROM videos p WHERE p.owner_id = u.id AND p.status = 'processed')
        """;
    private const string RankingOrder = "ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT $1 OFFSET $2";
    private const string RankAll = $"{RankingColumns} {RankingOrder}";
    private const string RankCity = $"{RankingColumns} AND u.city_key = $3 {RankingOrder}";

    // 'processed' is VideoStatus.Processed as stored, and the filter of ix_videos_public. $1 is the viewer (or null).
    private const string PublicColumns = """
        SELECT v.id, v.title, u.first_name || ' ' || u.last_name, u.city, v.vote_count, v.processed_key, v.poster_key,
               $1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM votes x WHERE x.user_id = $1 AND x.video_id = v.id)
        FROM videos v JOIN users u ON u.id = v.owner_id
        WHERE v.status = 'processed'
        """;
    private const string PublicOrder = "ORDER BY v.vote_count DESC, v.processed_at DESC, v.id LIMIT $2 OFFSET $3";
    private const string PublicAll = $"{PublicColumns} {PublicOrder}";
    private const string PublicCity = $"{PublicColumns} AND u.city_key = $4 {PublicOrder}";
    private const string PublicOne = $"{PublicColumns} AND v.id = $2";

    public async Task<IReadOnlyList<PublicVideoRow>> ListPublicVideosAsync(
        string? cityKey, int limit, int offset, Guid? viewerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(cityKey is null ? PublicAll : PublicCity);
        command.Parameters.Add(ViewerParameter(viewerId));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        if (cityKey is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cityKey });
        }

        var rows = new List<PublicVideoRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadPublicVideo(reader));
        }

        return rows;
    }

    public async Task<PublicVideoRow?> FindPublicVideoAsync(Guid videoId, Guid? viewerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PublicOne);
        command.Parameters.Add(ViewerParameter(viewerId));
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = videoId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadPublicVideo(reader) : null;
    }

    private static NpgsqlParameter ViewerParameter(Guid? viewerId) =>
        new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = viewerId.HasValue ? viewerId.Value : DBNull.Value };

    private static PublicVideoRow ReadPublicVideo(NpgsqlDataReader reader) =>
        new(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.GetInt32(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(7));

    public async Task<IReadOnlyList<PlayerRankRow>> RankPlayersAsync(
        string? cityKey, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(cityKey is null ? RankAll : RankCity);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        if (cityKey is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cityKey });
        }

        var rows = new List<PlayerRankRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PlayerRankRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return rows;
    }
}
