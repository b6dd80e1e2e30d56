using System.Net;
using System.Net.Http.Headers;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Public;

/// <summary>The public videos with their cache on: anonymous answers may be served from it, a player's never are.</summary>
public sealed class PublicVideosCacheTests(PublicVideosCacheTests.CachedApiFactory factory) : IClassFixture<PublicVideosCacheTests.CachedApiFactory>
{
    private readonly HttpClient anonymous = factory.CreateClient();

    [Fact]
    public async Task List_Anonymous_IsServedFromTheCachePerQuery()
    {
        var (url, video) = await CityWithOneVideoAsync();
        var before = await anonymous.GetStringAsync(url);

        await VoteAsync(video);

        Assert.Equal(before, await anonymous.GetStringAsync(url));
        Assert.Equal(1, await VotesAsync(anonymous, $"{url}&limit=5")); // another page is another entry, read now
    }

    [Fact]
    public async Task List_WithToken_SeesOwnVoteAtOnceWhileAnonymousAnswersAreCached()
    {
        var (url, video) = await CityWithOneVideoAsync();
        Assert.Equal(0, await VotesAsync(anonymous, url));
        var (viewer, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var first = Assert.Single(await (await viewer.GetAsync(url)).ReadArrayAsync())!;
        Assert.False((bool)first["voted_by_me"]!);

        Assert.Equal(HttpStatusCode.OK, (await viewer.PostAsync($"/api/public/videos/{video}/vote", null)).StatusCode);

        var after = Assert.Single(await (await viewer.GetAsync(url)).ReadArrayAsync())!;
        Assert.True((bool)after["voted_by_me"]!);
        Assert.Equal(1, (int)after["votes"]!);
        Assert.Equal(0, await VotesAsync(anonymous, url)); // the cache was on all along
    }

    [Fact]
    public async Task List_InvalidToken_IsRefusedEvenWhenTheAnonymousAnswerIsCached()
    {
        var (url, _) = await CityWithOneVideoAsync();
        await anonymous.GetStringAsync(url);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");

        await (await client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<(string Url, Guid Video)> CityWithOneVideoAsync()
    {
        var city = $"Ciudad {Guid.NewGuid():N}";
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city);
        var video = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        return ($"/api/public/videos?city={Uri.EscapeDataString(city)}", video);
    }

    private async Task VoteAsync(Guid video)
    {
        var (voter, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        Assert.Equal(HttpStatusCode.OK, (await voter.PostAsync($"/api/public/videos/{video}/vote", null)).StatusCode);
    }

    private static async Task<int> VotesAsync(HttpClient client, string url) =>
        (int)Assert.Single(await (await client.GetAsync(url)).ReadArrayAsync())!["votes"]!;

    /// <summary>The API with the public videos' cache at its longest, so no answer expires within a test.</summary>
    public sealed class CachedApiFactory : AnbApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("PublicVideos:CacheSeconds", "60")];
    }
}
