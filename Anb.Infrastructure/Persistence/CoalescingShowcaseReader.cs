using Anb.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.Infrastructure.Persistence;

/// <summary>
/// The showcase's reads with identical concurrent requests sharing one query (<see cref="ReadCoalescer{TKey,TValue}"/>):
/// the public pages are read by many people at once with the same parameters, and each answer still comes from
/// a query that started after its request arrived. Each shared query runs in its own scope (a pooled context).
/// </summary>
internal sealed class CoalescingShowcaseReader(IServiceScopeFactory scopes) : IShowcaseReader
{
    private readonly ReadCoalescer<RankingKey, IReadOnlyList<PlayerRankRow>> rankings = new();
    private readonly ReadCoalescer<PublicVideosKey, IReadOnlyList<PublicVideoRow>> publicVideos = new();

    public Task<IReadOnlyList<PublicVideoRow>> ListPublicVideosAsync(
        string? cityKey, int limit, int offset, Guid? viewerId, CancellationToken cancellationToken) =>
        publicVideos.ReadAsync(
            new PublicVideosKey(cityKey, limit, offset, viewerId),
            key => ReadAsync(reader => reader.ListPublicVideosAsync(key.CityKey, key.Limit, key.Offset, key.ViewerId, CancellationToken.None)),
            cancellationToken);

    public Task<IReadOnlyList<PlayerRankRow>> RankPlayersAsync(string? cityKey, int limit, int offset, CancellationToken cancellationToken) =>
        rankings.ReadAsync(
            new RankingKey(cityKey, limit, offset),
            key => ReadAsync(reader => reader.RankPlayersAsync(key.CityKey, key.Limit, key.Offset, CancellationToken.None)),
            cancellationToken);

    private async Task<T> ReadAsync<T>(Func<ShowcaseReader, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<ShowcaseReader>());
    }

    private readonly record struct RankingKey(string? CityKey, int Limit, int Offset);

    private readonly record struct PublicVideosKey(string? CityKey, int Limit, int Offset, Guid? ViewerId);
}
