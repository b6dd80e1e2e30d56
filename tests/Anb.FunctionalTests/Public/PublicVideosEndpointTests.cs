using System.Net;
using System.Net.Http.Headers;
using Anb.Application.Abstractions;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Public;

public sealed class PublicVideosEndpointTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private readonly HttpClient anonymous = factory.CreateClient();

    private static string City() => $"Ciudad {Guid.NewGuid():N}";

    [Fact]
    public async Task List_Anonymous_ShowsOnlyProcessedWithContractShape()
    {
        var city = City();
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city, "Luisa");
        var processed = await factory.VideoAsync(ownerId, VideoStatus.Processed, "Triple");
        await factory.VideoAsync(ownerId, VideoStatus.Uploaded);
        await factory.VideoAsync(ownerId, VideoStatus.Failed);

        var response = await anonymous.GetAsync($"/api/public/videos?city={Uri.EscapeDataString(city)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = Assert.Single(await response.ReadArrayAsync())!.AsObject();
        Assert.Equal(["city", "poster_url", "processed_url", "title", "username", "video_id", "votes"], item.Select(p => p.Key).Order());
        Assert.StartsWith($"http://localhost/files/processed/{processed:N}.jpg?", (string?)item["poster_url"], StringComparison.Ordinal);
        Assert.Equal(processed.ToString(), (string?)item["video_id"]);
        Assert.Equal("Triple", (string?)item["title"]);
        Assert.Equal("Luisa Gómez", (string?)item["username"]);
        Assert.Equal(city, (string?)item["city"]);
        Assert.Equal(0, (int)item["votes"]!);
        Assert.StartsWith("http://localhost/files/processed/", (string?)item["processed_url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithToken_AddsVotedByMe()
    {
        var city = City();
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city);
        var (viewer, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var voted = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        var notVoted = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        await viewer.PostAsync($"/api/public/videos/{voted}/vote", null);

        var items = await (await viewer.GetAsync($"/api/public/videos?city={Uri.EscapeDataString(city)}")).ReadArrayAsync();

        Assert.Equal([(voted.ToString(), true), (notVoted.ToString(), false)], items.Select(i => ((string)i!["video_id"]!, (bool)i["voted_by_me"]!)));
    }

    [Fact]
    public async Task List_InvalidToken_Returns401()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");

        var response = await client.GetAsync("/api/public/videos");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task List_OrdersByVotesThenNewestAndPages()
    {
        var city = City();
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city);
        var older = await factory.VideoAsync(ownerId, VideoStatus.Processed, "older");
        var popular = await factory.VideoAsync(ownerId, VideoStatus.Processed, "popular");
        var newer = await factory.VideoAsync(ownerId, VideoStatus.Processed, "newer");
        var (voter, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        await voter.PostAsync($"/api/public/videos/{popular}/vote", null);

        var all = await (await anonymous.GetAsync($"/api/public/videos?city={Uri.EscapeDataString(city)}")).ReadArrayAsync();
        var page = await (await anonymous.GetAsync($"/api/public/videos?city={Uri.EscapeDataString(city)}&limit=1&offset=1")).ReadArrayAsync();

        Assert.Equal([popular, newer, older], all.Select(i => Guid.Parse((string)i!["video_id"]!)));
        Assert.Equal(newer, Guid.Parse((string)Assert.Single(page)!["video_id"]!));
    }

    [Fact]
    public async Task List_CityFilter_IgnoresCaseAndAccents()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, $"Bogotá {suffix}");
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);

        var items = await (await anonymous.GetAsync($"/api/public/videos?city=BOGOTA%20{suffix}")).ReadArrayAsync();

        Assert.Equal(videoId, Guid.Parse((string)Assert.Single(items)!["video_id"]!));
    }

    [Fact]
    public async Task Get_Anonymous_ReturnsTheSameItemAsTheList()
    {
        var city = City();
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, city, "Luisa");
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed, "Triple");
        var listed = Assert.Single(await (await anonymous.GetAsync($"/api/public/videos?city={Uri.EscapeDataString(city)}")).ReadArrayAsync())!;

        var response = await anonymous.GetAsync($"/api/public/videos/{videoId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = await response.ReadObjectAsync();
        Assert.Equal(listed.AsObject().Select(p => p.Key).Order(), item.Select(p => p.Key).Order());
        Assert.Equal(videoId.ToString(), (string?)item["video_id"]);
        Assert.Equal("Triple", (string?)item["title"]);
        Assert.Equal("Luisa Gómez", (string?)item["username"]);
        Assert.Equal(city, (string?)item["city"]);
        Assert.Equal(0, (int)item["votes"]!);
        Assert.StartsWith($"http://localhost/files/processed/{videoId:N}.mp4?", (string?)item["processed_url"], StringComparison.Ordinal);
        Assert.False(item.ContainsKey("voted_by_me"));
    }

    [Fact]
    public async Task Get_PosterLink_ServesTheStoredJpeg()
    {
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9];
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IObjectStorage>()
                .PutAsync($"processed/{videoId:N}.jpg", new MemoryStream(jpeg), "image/jpeg", CancellationToken.None);
        }

        var item = await (await anonymous.GetAsync($"/api/public/videos/{videoId}")).ReadObjectAsync();
        var poster = await anonymous.GetAsync(new Uri((string)item["poster_url"]!).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jpeg, await poster.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_WithToken_SaysWhetherTheViewerVotedAndCountsVotes()
    {
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient, City());
        var (viewer, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);

        var before = await (await viewer.GetAsync($"/api/public/videos/{videoId}")).ReadObjectAsync();
        await viewer.PostAsync($"/api/public/videos/{videoId}/vote", null);
        var after = await (await viewer.GetAsync($"/api/public/videos/{videoId}")).ReadObjectAsync();

        Assert.Equal((false, 0), ((bool)before["voted_by_me"]!, (int)before["votes"]!));
        Assert.Equal((true, 1), ((bool)after["voted_by_me"]!, (int)after["votes"]!));
    }

    [Theory]
    [InlineData(VideoStatus.Uploaded)]
    [InlineData(VideoStatus.Processing)]
    [InlineData(VideoStatus.Failed)]
    public async Task Get_NotProcessed_Returns404(VideoStatus status)
    {
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var videoId = await factory.VideoAsync(ownerId, status);

        var response = await anonymous.GetAsync($"/api/public/videos/{videoId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Video no encontrado.");
    }

    [Fact]
    public async Task Get_UnknownOrDeleted_Returns404()
    {
        var (owner, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var deleted = await factory.VideoAsync(ownerId, VideoStatus.Uploaded);
        Assert.Equal(HttpStatusCode.OK, (await owner.DeleteAsync($"/api/videos/{deleted}")).StatusCode);

        foreach (var id in new[] { Guid.NewGuid(), deleted })
        {
            await (await anonymous.GetAsync($"/api/public/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "Video no encontrado.");
        }
    }

    [Fact]
    public async Task Get_InvalidToken_Returns401()
    {
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var videoId = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");

        var response = await client.GetAsync($"/api/public/videos/{videoId}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    [InlineData("offset=1.5")]
    public async Task List_BadParameter_Returns400(string query)
    {
        var response = await anonymous.GetAsync($"/api/public/videos?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Parámetro inválido en la consulta.");
    }
}
