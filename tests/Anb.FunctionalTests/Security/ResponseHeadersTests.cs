using System.Net;
using System.Net.Http.Json;
using System.Text;
using Anb.Application.Common.Messages;
using Anb.FunctionalTests.Infrastructure;
using Anb.Infrastructure.Storage;
using Anb.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Security;

/// <summary>nosniff on every answer; no-store on the token and on signed files; no HSTS over plain HTTP; Retry-After on a 503.</summary>
public sealed class ResponseHeadersTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    [Theory]
    [InlineData("GET", "/health", HttpStatusCode.OK)]
    [InlineData("GET", "/api/public/rankings", HttpStatusCode.OK)]
    [InlineData("GET", "/api/videos", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/public/rankings?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/no/such/route", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/api/public/rankings", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/files/processed/missing.mp4", HttpStatusCode.Forbidden)]
    public async Task EveryAnswer_SaysNoSniff_AndNoHstsOverPlainHttp(string method, string path, HttpStatusCode status)
    {
        var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Token_IsNotStored()
    {
        var client = factory.CreateClient();
        var email = ApiClient.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email))).StatusCode);

        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = ApiClient.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Upload_WhenStorageFails_Answers503WithRetryAfter()
    {
        var root = Path.Combine(factory.StorageRoot, "broken");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "originals"), "not a folder");
        using var broken = factory.WithWebHostBuilder(b => b.UseSetting("Storage:Local:RootPath", root));
        var (player, _) = await broken.CreateClient().SignUpAndLogInAsync(broken.CreateClient);

        var response = await player.UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, 21));

        await response.AssertRefusedAsync(HttpStatusCode.ServiceUnavailable, ClientMessages.Upload.StorageUnavailable, minSeconds: 5, maxSeconds: 5);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task SignedFile_IsNotStored()
    {
        var storage = factory.Services.GetRequiredService<LocalFileStorage>();
        var key = $"processed/{Guid.NewGuid():N}.mp4";
        await storage.PutAsync(key, new MemoryStream(Encoding.ASCII.GetBytes("video bytes")), "video/mp4", CancellationToken.None);

        var response = await factory.CreateClient().GetAsync(storage.GetDownloadUrl(key).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
