using Anb.Application.Abstractions;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Anb.IntegrationTests.Persistence;

/// <summary>The showcase's SQL against PostgreSQL: rankings list players (users with a processed video), not accounts.</summary>
public sealed class ShowcaseReaderTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private ServiceProvider services = null!;
    private ShowcaseReader reader = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        services = await ShowcaseServices.CreateAsync(database);
        reader = services.GetRequiredService<ShowcaseReader>();

        // Signed up in this order; only Ana, Caro, Eva and Gabi have a processed video. Beto and Fer have more
        // votes recorded than anyone, so a query that forgot the rule would put them first.
        await database.ExecuteAsync("""
            INSERT INTO users (id, first_name, last_name, email, password_hash, city, city_key, country, created_at, total_votes)
            SELECT md5(name)::uuid, name, 'Test', name || '@example.com', 'h', city, lower(city), 'Colombia',
                   timestamptz '2026-01-01' + n * interval '1 minute', votes
            FROM (VALUES (1, 'Ana', 'Cali', 3), (2, 'Beto', 'Cali', 50), (3, 'Caro', 'Bogota', 0), (4, 'Dani', 'Cali', 0),
                         (5, 'Eva', 'Cali', 0), (6, 'Fer', 'Bogota', 40), (7, 'Gabi', 'Cali', 7), (8, 'Hugo', 'Cali', 0))
                 AS p(n, name, city, votes);
            INSERT INTO videos (id, owner_id, title, status, original_key, processed_key, uploaded_at, processed_at, attempts, vote_count)
            SELECT gen_random_uuid(), md5(name)::uuid, 'Jugada', status, 'originals/x.mp4',
                   CASE WHEN status = 'processed' THEN 'processed/x.mp4' END, now(),
                   CASE WHEN status = 'processed' THEN now() END, 1, 0
            FROM (VALUES ('Ana', 'processed'), ('Ana', 'processed'), ('Beto', 'failed'), ('Caro', 'processed'),
                         ('Dani', 'uploaded'), ('Eva', 'failed'), ('Eva', 'processed'), ('Fer', 'processing'),
                         ('Fer', 'uploaded'), ('Gabi', 'processed')) AS v(name, status);
            """);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task RankPlayersAsync_ListsOnlyUsersWithAProcessedVideo_EachOnce()
    {
        var rows = await reader.RankPlayersAsync(null, 100, 0, default);

        Assert.Equal(
            [new("Gabi Test", "Cali", 7), new("Ana Test", "Cali", 3), new("Caro Test", "Bogota", 0), new PlayerRankRow("Eva Test", "Cali", 0)],
            rows);
    }

    [Fact]
    public async Task RankPlayersAsync_ByCity_ListsOnlyThatCitysPlayers()
    {
        Assert.Equal(["Gabi Test", "Ana Test", "Eva Test"], (await reader.RankPlayersAsync("cali", 100, 0, default)).Select(r => r.Name));
        Assert.Equal(["Caro Test"], (await reader.RankPlayersAsync("bogota", 100, 0, default)).Select(r => r.Name));
    }

    [Theory]
    [InlineData(null, 1, 2, "Caro Test")]
    [InlineData(null, 3, 3, "Eva Test")]
    [InlineData("cali", 1, 1, "Ana Test")]
    [InlineData("cali", 2, 2, "Eva Test")]
    public async Task RankPlayersAsync_Pages_SkipOnlyPlayers(string? city, int limit, int offset, string first)
    {
        var rows = await reader.RankPlayersAsync(city, limit, offset, default);

        Assert.Equal(first, rows[0].Name);
    }

    [Fact]
    public async Task RankPlayersAsync_OnceAVideoIsProcessed_ThePlayerIsListed()
    {
        await database.ExecuteAsync("UPDATE videos SET status = 'processed', processed_key = 'processed/y.mp4', processed_at = now() WHERE owner_id = md5('Dani')::uuid");

        Assert.Contains("Dani Test", (await reader.RankPlayersAsync("cali", 100, 0, default)).Select(r => r.Name));
    }
}
