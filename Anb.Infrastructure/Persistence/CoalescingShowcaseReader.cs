using Anb.Application.Abstractions;

namespace Anb.Infrastructure.Persistence;

/// <summary>
/// The showcase's reads with identical concurrent requests sharing one query (<see cref="ReadCoalescer{TKey,TValue}"/>):
/// the public pages are read by many people at once with the same parameters, and each answer still comes from
/// a query that started after its request arrived.
/// </summary>
internal sealed class CoalescingShowcaseReader(ShowcaseReader reader) : IShowcaseReader
{
    private readonly ReadCoalescer<RankingKey, IReadOnlyList<PlayerRankRow>> rankings = new();
    private readonly ReadCoalescer<PublicVideosKey, IReadOnlyList<PublicVideoRow>> publicVideos = new();
    private readonly ReadCoalescer<PublicVideoKey, PublicVideoRow?> publicVideo = new();

    public Task<IReadOnlyList<PublicVideoRow>> ListPublicVideosAsync(
        string? cityKey, int limit, int offset, Guid? viewerId, CancellationToken cancellationToken) =>
        publicVideos.ReadAsync(
            new PublicVideosKey(cityKey, limit, offset, viewerId),
            key => reader.ListPublicVideosAsync(key.CityKey, key.Limit, key.Offset, key.ViewerId, CancellationToken.None),
            cancellationToken);

    public Task<PublicVideoRow?> FindPublicVideoAsync(Guid videoId, Guid? viewerId, CancellationToken cancellationToken) =>
        publicVideo.ReadAsync(
            new PublicVideoKey(videoId, viewerId),
            key => reader.FindPublicVideoAsync(key.VideoId, key.ViewerId, CancellationToken.None),
            cancellationToken);

    public Task<IReadOnlyList<PlayerRankRow>> RankPlayersAsync(string? cityKey, int limit, int offset, CancellationToken cancellationToken) =>
        rankings.ReadAsync(
            new RankingKey(cityKey, limit, offset),
            key => reader.RankPlayersAsync(key.CityKey, key.Limit, key.Offset, CancellationToken.None),
            cancellationToken);

    private readonly record struct RankingKey(string? CityKey, int Limit, int Offset);

    private readonly record struct PublicVideosKey(string? CityKey, int Limit, int Offset, Guid? ViewerId);

    private readonly record struct PublicVideoKey(Guid VideoId, Guid? ViewerId);
}
