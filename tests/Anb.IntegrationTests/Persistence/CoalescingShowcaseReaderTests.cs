using Anb.Application.Abstractions;
using Anb.Domain.Users;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Anb.IntegrationTests.Persistence;

/// <summary>The shared-query reader against PostgreSQL: same answers as a query of one's own, never stale.</summary>
public sealed class CoalescingShowcaseReaderTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private ServiceProvider services = null!;
    private IShowcaseReader reader = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        services = await ShowcaseServices.CreateAsync(database);
        reader = services.GetRequiredService<CoalescingShowcaseReader>();

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnbDbContext>();
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 30; i++)
        {
            db.Users.Add(User.Create($"Player{i:D2}", "Test", $"p{i}@example.com", "h", i % 2 == 0 ? "Bogotá" : "Cali", "Colombia", start.AddSeconds(i)));
        }

        await db.SaveChangesAsync();
        await database.ExecuteAsync("UPDATE users SET total_votes = (substring(first_name from 7)::int * 7) % 11");

        // Rankings list players only: each has a processed video.
        await database.ExecuteAsync("""
            INSERT INTO videos (id, owner_id, title, status, original_key, processed_key, uploaded_at, processed_at, attempts, vote_count)
            SELECT gen_random_uuid(), id, 'Jugada', 'processed', 'originals/x.mp4', 'processed/x.mp4', now(), now(), 1, 0 FROM users
            """);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task RankPlayersAsync_ManyIdenticalConcurrentCalls_AllGetTheSameAnswerAsAQueryOfTheirOwn()
    {
        var expected = await DirectRankingAsync("bogota", 5, 2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => reader.RankPlayersAsync("bogota", 5, 2, default)));

        Assert.Equal(5, expected.Count);
        Assert.All(answers, answer => Assert.Equal(expected, answer));
    }

    [Fact]
    public async Task RankPlayersAsync_DifferentPagesAtOnce_EachGetsItsOwnPage()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, 6).Select(page => reader.RankPlayersAsync(null, 5, page * 5, default)));

        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(await DirectRankingAsync(null, 30, 0), all);
    }

    [Fact]
    public async Task RankPlayersAsync_AfterAVoteIsCommitted_TheNextAnswerShowsIt()
    {
        var before = await reader.RankPlayersAsync(null, 1, 0, default);

        await database.ExecuteAsync("UPDATE users SET total_votes = 1000 WHERE first_name = 'Player29'");
        var after = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => reader.RankPlayersAsync(null, 1, 0, default)));

        Assert.NotEqual("Player29 Test", before[0].Name);
        Assert.All(after, answer => Assert.Equal(new PlayerRankRow("Player29 Test", "Cali", 1000), answer[0]));
    }

    private Task<IReadOnlyList<PlayerRankRow>> DirectRankingAsync(string? cityKey, int limit, int offset) =>
        services.GetRequiredService<ShowcaseReader>().RankPlayersAsync(cityKey, limit, offset, default);
}
