using System.Net;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Videos;

/// <summary>GET /api/videos, GET and DELETE /api/videos/{video_id}.</summary>
public sealed class MyVideosEndpointTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private Task<(HttpClient Client, Guid UserId)> PlayerAsync() => factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);

    private static async Task<Guid> UploadAsync(HttpClient client, string title)
    {
        var response = await client.UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, 25), title);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((string)(await response.ReadObjectAsync())["task_id"]!);
    }

    [Fact]
    public async Task List_ReturnsOnlyMyVideosOldestFirst()
    {
        var (me, myId) = await PlayerAsync();
        var (other, _) = await PlayerAsync();
        var first = await UploadAsync(me, "primero");
        await UploadAsync(other, "ajeno");
        var second = await factory.VideoAsync(myId, VideoStatus.Processed, "segundo");

        var response = await me.GetAsync("/api/videos");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = await response.ReadArrayAsync();
        Assert.Equal([first, second], items.Select(i => Guid.Parse((string)i!["video_id"]!)));
        var pending = items[0]!.AsObject();
        Assert.Equal(["poster_url", "processed_at", "processed_url", "status", "title", "uploaded_at", "video_id"], pending.Select(p => p.Key).Order());
        Assert.Null(pending["poster_url"]);
        Assert.Equal("uploaded", (string?)pending["status"]);
        Assert.Null(pending["processed_at"]);
        Assert.Null(pending["processed_url"]);
        Assert.EndsWith("Z", (string?)pending["uploaded_at"], StringComparison.Ordinal);
        Assert.Equal("processed", (string?)items[1]!["status"]);
        Assert.NotNull(items[1]!["processed_url"]);
    }

    [Fact]
    public async Task List_WithoutToken_Returns401() =>
        await (await factory.CreateClient().GetAsync("/api/videos")).AssertProblemAsync(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Get_MyVideo_ReturnsDetailWithWorkingOriginalLink()
    {
        var (me, _) = await PlayerAsync();
        var id = await UploadAsync(me, "detalle");

        var response = await me.GetAsync($"/api/videos/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = await response.ReadObjectAsync();
        Assert.Equal(
            ["original_url", "poster_url", "processed_at", "processed_url", "status", "title", "uploaded_at", "video_id", "votes"],
            detail.Select(p => p.Key).Order());
        Assert.Equal(0, (int)detail["votes"]!);
        var original = new Uri((string)detail["original_url"]!);
        var download = await factory.CreateClient().GetAsync(original.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(new FileInfo(await VideoFixtures.Mp4Async(1920, 1080, 25)).Length, (await download.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Get_TamperedDownloadLink_Returns403()
    {
        var (me, _) = await PlayerAsync();
        var id = await UploadAsync(me, "enlace");
        var original = new Uri((string)(await (await me.GetAsync($"/api/videos/{id}")).ReadObjectAsync())["original_url"]!);

        var response = await factory.CreateClient().GetAsync(original.PathAndQuery.Replace("signature=", "signature=0", StringComparison.Ordinal));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListAndGet_ProcessingVideo_ShowProgress_OtherStatusesLeaveItOut()
    {
        var (me, myId) = await PlayerAsync();
        var processing = await factory.VideoAsync(myId, VideoStatus.Processing);
        var processed = await factory.VideoAsync(myId, VideoStatus.Processed);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnbDbContext>().Database
                .ExecuteSqlAsync($"UPDATE videos SET progress = 42 WHERE id = {processing}");
        }

        var items = await (await me.GetAsync("/api/videos")).ReadArrayAsync();
        var detail = await (await me.GetAsync($"/api/videos/{processing}")).ReadObjectAsync();
        var processedDetail = await (await me.GetAsync($"/api/videos/{processed}")).ReadObjectAsync();

        Assert.Equal(42, (int)items[0]!["progress"]!);
        Assert.False(items[1]!.AsObject().ContainsKey("progress"));
        Assert.Equal(42, (int)detail["progress"]!);
        Assert.False(processedDetail.ContainsKey("progress"));
    }

    [Fact]
    public async Task Get_FailedVideo_IncludesFailureReason()
    {
        var (me, myId) = await PlayerAsync();
        var id = await factory.VideoAsync(myId, VideoStatus.Failed);

        var detail = await (await me.GetAsync($"/api/videos/{id}")).ReadObjectAsync();

        Assert.Equal("failed", (string?)detail["status"]);
        Assert.Equal("El archivo no se pudo decodificar.", (string?)detail["failure_reason"]);
    }

    [Fact]
    public async Task Get_SomeoneElsesVideo_Returns403()
    {
        var (me, _) = await PlayerAsync();
        var (_, otherId) = await PlayerAsync();
        var id = await factory.VideoAsync(otherId, VideoStatus.Uploaded);

        var response = await me.GetAsync($"/api/videos/{id}");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "No tienes permiso para acceder a este video.");
    }

    [Theory]
    [InlineData("get")]
    [InlineData("delete")]
    public async Task UnknownVideo_Returns404(string method)
    {
        var (me, _) = await PlayerAsync();
        var route = $"/api/videos/{Guid.NewGuid()}";

        var response = method == "get" ? await me.GetAsync(route) : await me.DeleteAsync(route);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Video no encontrado.");
    }

    [Fact]
    public async Task Get_NonGuidId_Returns404() =>
        await (await (await PlayerAsync()).Client.GetAsync("/api/videos/not-a-guid")).AssertProblemAsync(HttpStatusCode.NotFound);

    [Fact]
    public async Task Delete_UploadedVideo_RemovesRowAndObjects()
    {
        var (me, _) = await PlayerAsync();
        var id = await UploadAsync(me, "borrar");
        var original = Path.Combine(factory.StorageRoot, "originals", $"{id:N}.mp4");
        Assert.True(File.Exists(original));

        var response = await me.DeleteAsync($"/api/videos/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("El video ha sido eliminado exitosamente.", (string?)body["message"]);
        Assert.Equal(id.ToString(), (string?)body["video_id"]);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM videos WHERE id = $1", id));
        Assert.False(File.Exists(original));
        await (await me.GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_ProcessedVideo_Returns400AndKeepsIt()
    {
        var (me, myId) = await PlayerAsync();
        var id = await factory.VideoAsync(myId, VideoStatus.Processed);

        var response = await me.DeleteAsync($"/api/videos/{id}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El video ya está publicado y no puede ser eliminado.");
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM videos WHERE id = $1", id));
    }

    [Fact]
    public async Task Delete_SomeoneElsesVideo_Returns403AndKeepsIt()
    {
        var (me, _) = await PlayerAsync();
        var (other, _) = await PlayerAsync();
        var id = await UploadAsync(other, "ajeno");

        var response = await me.DeleteAsync($"/api/videos/{id}");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM videos WHERE id = $1", id));
    }

    [Fact]
    public async Task Delete_WithoutToken_Returns401() =>
        await (await factory.CreateClient().DeleteAsync($"/api/videos/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
}
