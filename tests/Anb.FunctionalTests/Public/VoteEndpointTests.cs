using System.Net;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Public;

public sealed class VoteEndpointTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private static string VoteRoute(Guid id) => $"/api/public/videos/{id}/vote";

    private Task<(HttpClient Client, Guid UserId)> PlayerAsync() => factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);

    [Fact]
    public async Task Vote_ProcessedVideo_Returns200AndCountsEverywhere()
    {
        var (owner, ownerId) = await PlayerAsync();
        var (voter, _) = await PlayerAsync();
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);

        var response = await voter.PostAsync(VoteRoute(videoId), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Voto registrado exitosamente.", (string?)(await response.ReadObjectAsync())["message"]);
        Assert.Equal(1, (int)(await (await owner.GetAsync($"/api/videos/{videoId}")).ReadObjectAsync())["votes"]!);
        var listed = (await (await voter.GetAsync("/api/public/videos?limit=100")).ReadArrayAsync())
            .Single(i => (string?)i!["video_id"] == videoId.ToString())!;
        Assert.Equal(1, (int)listed["votes"]!);
        Assert.True((bool)listed["voted_by_me"]!);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM votes WHERE video_id = $1", videoId));
        Assert.Equal(1, await factory.Database.ScalarAsync<int>("SELECT total_votes FROM users WHERE id = $1", ownerId));
    }

    [Fact]
    public async Task Vote_Twice_Returns400AlreadyVoted()
    {
        var (_, ownerId) = await PlayerAsync();
        var (voter, _) = await PlayerAsync();
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        await voter.PostAsync(VoteRoute(videoId), null);

        var response = await voter.PostAsync(VoteRoute(videoId), null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Ya has votado por este video.");
    }

    [Fact]
    public async Task Vote_TwentyIdenticalAtOnce_CountsOnce()
    {
        var (_, ownerId) = await PlayerAsync();
        var (voter, _) = await PlayerAsync();
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => voter.PostAsync(VoteRoute(videoId), null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await loser.AssertProblemAsync(HttpStatusCode.BadRequest, "Ya has votado por este video.");
        }

        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM votes WHERE video_id = $1", videoId));
        Assert.Equal(1, await factory.Database.ScalarAsync<int>("SELECT vote_count FROM videos WHERE id = $1", videoId));
        Assert.Equal(1, await factory.Database.ScalarAsync<int>("SELECT total_votes FROM users WHERE id = $1", ownerId));
    }

    [Theory]
    [InlineData(VideoStatus.Uploaded)]
    [InlineData(VideoStatus.Processing)]
    [InlineData(VideoStatus.Failed)]
    public async Task Vote_VideoNotPublic_Returns400(VideoStatus status)
    {
        var (_, ownerId) = await PlayerAsync();
        var (voter, _) = await PlayerAsync();
        var videoId = await factory.VideoAsync(ownerId, status);

        var response = await voter.PostAsync(VoteRoute(videoId), null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El video no está disponible para votación.");
    }

    [Fact]
    public async Task Vote_OwnVideo_Returns400()
    {
        var (owner, ownerId) = await PlayerAsync();
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);

        var response = await owner.PostAsync(VoteRoute(videoId), null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "No puedes votar por tu propio video.");
    }

    [Fact]
    public async Task Vote_UnknownVideo_Returns404()
    {
        var (voter, _) = await PlayerAsync();

        var response = await voter.PostAsync(VoteRoute(Guid.NewGuid()), null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Video no encontrado.");
    }

    [Fact]
    public async Task Vote_WithoutToken_Returns401()
    {
        var (_, ownerId) = await PlayerAsync();
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);

        var response = await factory.CreateClient().PostAsync(VoteRoute(videoId), null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM votes WHERE video_id = $1", videoId));
    }
}
