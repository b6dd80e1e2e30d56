using System.Net;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Anb.FunctionalTests.Public;

public sealed class RankingsEndpointTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private readonly HttpClient anonymous = factory.CreateClient();

    /// <summary>Players in a city of their own (so tests do not see each other), each with one processed video.</summary>
    private async Task<(string City, List<(string Name, Guid VideoId)> Players)> CityWithPlayersAsync(params string[] names)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var city = $"Medellín {suffix}";
        var players = new List<(string, Guid)>();
        foreach (var name in names)
        {
            var (_, id) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city, name);
            players.Add(($"{name} Gómez", await factory.VideoAsync(id, VideoStatus.Processed)));
        }

        return (city, players);
    }

    private async Task VoteAsync(Guid videoId, int votes)
    {
        for (var i = 0; i < votes; i++)
        {
            var (voter, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, "Elsewhere");
            Assert.Equal(HttpStatusCode.OK, (await voter.PostAsync($"/api/public/videos/{videoId}/vote", null)).StatusCode);
        }
    }

    [Fact]
    public async Task Rankings_OrderByVotesTiesByEarlierSignUp()
    {
        var (city, p) = await CityWithPlayersAsync("Ana", "Beto", "Caro", "Dani");
        await VoteAsync(p[2].VideoId, 2);
        await VoteAsync(p[3].VideoId, 1);
        await VoteAsync(p[1].VideoId, 1);

        var response = await anonymous.GetAsync($"/api/public/rankings?city={Uri.EscapeDataString(city)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = await response.ReadArrayAsync();
        Assert.All(rows, r => Assert.Equal(["city", "position", "username", "votes"], r!.AsObject().Select(x => x.Key).Order()));
        Assert.Equal(
            [(1, "Caro Gómez", 2), (2, "Beto Gómez", 1), (3, "Dani Gómez", 1), (4, "Ana Gómez", 0)],
            rows.Select(r => ((int)r!["position"]!, (string)r["username"]!, (int)r["votes"]!)));
        Assert.All(rows, r => Assert.Equal(city, (string?)r!["city"]));
    }

    [Fact]
    public async Task Rankings_AccountsWithoutAProcessedVideo_AreNotListedNorCounted()
    {
        var city = $"Medellín {Guid.NewGuid().ToString("N")[..8]}";
        async Task<Guid> SignUpAsync(string name, params VideoStatus[] videos)
        {
            var (_, id) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city, name);
            var videoId = Guid.Empty;
            foreach (var status in videos)
            {
                videoId = await factory.VideoAsync(id, status);
            }

            return videoId;
        }

        // Signed up before the players and tied with them at 0 votes, so a list of accounts would show them first.
        await SignUpAsync("Nadie");
        await SignUpAsync("Fallo", VideoStatus.Failed);
        await SignUpAsync("Subido", VideoStatus.Uploaded, VideoStatus.Processing);
        await SignUpAsync("Ana", VideoStatus.Processed, VideoStatus.Processed, VideoStatus.Failed);
        var beto = await SignUpAsync("Beto", VideoStatus.Processed);
        await SignUpAsync("Caro", VideoStatus.Processed);
        await VoteAsync(beto, 1);
        var url = $"/api/public/rankings?city={Uri.EscapeDataString(city)}";

        var rows = await (await anonymous.GetAsync(url)).ReadArrayAsync();
        var page = await (await anonymous.GetAsync($"{url}&limit=1&offset=2")).ReadArrayAsync();

        Assert.Equal(
            [(1, "Beto Gómez", 1), (2, "Ana Gómez", 0), (3, "Caro Gómez", 0)],
            rows.Select(r => ((int)r!["position"]!, (string)r["username"]!, (int)r["votes"]!)));
        var last = Assert.Single(page)!;
        Assert.Equal((3, "Caro Gómez"), ((int)last["position"]!, (string?)last["username"]));
    }

    [Fact]
    public async Task Rankings_CityIgnoresCaseAndAccents()
    {
        var (city, _) = await CityWithPlayersAsync("Eva");

        var rows = await (await anonymous.GetAsync($"/api/public/rankings?city={Uri.EscapeDataString(city.ToUpperInvariant().Replace('Í', 'I'))}")).ReadArrayAsync();

        Assert.Equal("Eva Gómez", (string?)Assert.Single(rows)!["username"]);
    }

    [Fact]
    public async Task Rankings_OffsetCountsInPosition()
    {
        var (city, p) = await CityWithPlayersAsync("Fer", "Gabi", "Hugo");
        await VoteAsync(p[0].VideoId, 2);
        await VoteAsync(p[1].VideoId, 1);

        var rows = await (await anonymous.GetAsync($"/api/public/rankings?city={Uri.EscapeDataString(city)}&limit=1&offset=1")).ReadArrayAsync();

        var only = Assert.Single(rows)!;
        Assert.Equal(2, (int)only["position"]!);
        Assert.Equal("Gabi Gómez", (string?)only["username"]);
    }

    [Fact]
    public async Task Rankings_Defaults_ReturnAtMostTen()
    {
        await CityWithPlayersAsync(Enumerable.Range(0, 11).Select(i => $"P{i}").ToArray());

        var rows = await (await anonymous.GetAsync("/api/public/rankings")).ReadArrayAsync();

        Assert.Equal(10, rows.Count);
        Assert.Equal(Enumerable.Range(1, 10), rows.Select(r => (int)r!["position"]!));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=ten")]
    [InlineData("offset=-3")]
    [InlineData("offset=99999999999")]
    public async Task Rankings_BadParameter_Returns400(string query)
    {
        var response = await anonymous.GetAsync($"/api/public/rankings?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Parámetro inválido en la consulta.");
    }

    [Fact]
    public async Task Rankings_WithCache_ServeTheSameAnswerUntilItExpires()
    {
        using var cached = factory.WithWebHostBuilder(b => b.UseSetting("Rankings:CacheSeconds", "60"));
        var client = cached.CreateClient();
        var (city, p) = await CityWithPlayersAsync("Iris");
        var url = $"/api/public/rankings?city={Uri.EscapeDataString(city)}";
        var before = await client.GetStringAsync(url);

        await VoteAsync(p[0].VideoId, 1);

        Assert.Equal(before, await client.GetStringAsync(url));
        Assert.Equal(1, (int)(await (await anonymous.GetAsync(url)).ReadArrayAsync())[0]!["votes"]!); // uncached host sees it
    }
}
