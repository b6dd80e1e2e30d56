using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Anb.Application.Common.Messages;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Security;

/// <summary>Votes and uploads per player (by the token's subject), and the instance's uploads in flight.</summary>
public sealed class PlayerRateLimitTests(PlayerRateLimitTests.Host host) : IClassFixture<PlayerRateLimitTests.Host>
{
    [Fact]
    public async Task Vote_BeyondTheLimit_Gets429_WhileAnotherPlayerVotes()
    {
        var (player, _) = await PlayerAsync();
        var (other, _) = await PlayerAsync();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await player.PostAsync($"/api/public/videos/{Guid.NewGuid()}/vote", null)).StatusCode);
        }

        await (await player.PostAsync($"/api/public/videos/{Guid.NewGuid()}/vote", null)).AssertTooManyRequestsAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/public/videos/{Guid.NewGuid()}/vote", null)).StatusCode);
    }

    [Fact]
    public async Task Upload_BeyondTheHourlyLimit_Gets429UntilTheHourEnds()
    {
        var (player, _) = await PlayerAsync();
        var (other, _) = await PlayerAsync();
        var notAVideo = await VideoFixtures.TextAsMp4Async();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await player.UploadAsync(notAVideo)).StatusCode);
        }

        await (await player.UploadAsync(notAVideo)).AssertTooManyRequestsAsync(minSeconds: 60, maxSeconds: 3600);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.UploadAsync(notAVideo)).StatusCode);
    }

    /// <summary>The rate limiter drops a partition idle for 10 s; a player's hourly count must outlive a pause.</summary>
    [Fact]
    public async Task Upload_BeyondTheHourlyLimit_Gets429_AfterAPauseLongerThanAnIdlePartitionLives()
    {
        var (player, _) = await PlayerAsync();
        var notAVideo = await VideoFixtures.TextAsMp4Async();
        Assert.Equal(HttpStatusCode.BadRequest, (await player.UploadAsync(notAVideo)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(12));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await player.UploadAsync(notAVideo)).StatusCode);
        }

        await (await player.UploadAsync(notAVideo)).AssertTooManyRequestsAsync(minSeconds: 60, maxSeconds: 3600);
    }

    [Fact]
    public async Task Upload_WhileThePlayersLimitIsInFlight_Gets429_AndAFullInstanceAnswers503()
    {
        var (first, _) = await PlayerAsync();
        var (second, _) = await PlayerAsync();
        var (third, _) = await PlayerAsync();
        var notAVideo = await VideoFixtures.TextAsMp4Async();
        var release = new TaskCompletionSource();
        var held = new List<Task<HttpResponseMessage>> { first.PostAsync("/api/videos/upload", new HeldUpload(release.Task)) };
        await UploadsInFlightAsync(1);

        await (await first.UploadAsync(notAVideo)).AssertTooManyRequestsAsync(minSeconds: 5, maxSeconds: 5);

        held.Add(second.PostAsync("/api/videos/upload", new HeldUpload(release.Task)));
        await UploadsInFlightAsync(2);
        await (await third.UploadAsync(notAVideo)).AssertRefusedAsync(
            HttpStatusCode.ServiceUnavailable, ClientMessages.Upload.StorageUnavailable, minSeconds: 5, maxSeconds: 5);

        release.SetResult();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await first.UploadAsync(notAVideo)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await third.UploadAsync(notAVideo)).StatusCode);
    }

    // A client without the test redirect handler, which buffers a request body before sending it.
    private Task<(HttpClient Client, Guid UserId)> PlayerAsync() => host.CreateClient().SignUpAndLogInAsync(() => host.CreateDefaultClient());

    /// <summary>Waits until the API spools <paramref name="count"/> uploads: they passed the limiter and are in flight.</summary>
    private async Task UploadsInFlightAsync(int count)
    {
        for (var i = 0; i < 600 && SpooledFiles() < count; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(count, SpooledFiles());
    }

    private int SpooledFiles() => Directory.Exists(host.SpoolFolder) ? Directory.GetFiles(host.SpoolFolder).Length : 0;

    /// <summary>A multipart upload that sends its title and the start of its file, then waits to be released before it ends.</summary>
    private sealed class HeldUpload : HttpContent
    {
        private const string Boundary = "held-upload";
        private readonly Task release;

        public HeldUpload(Task release)
        {
            this.release = release;
            Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"--{Boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nJugada\r\n" +
                $"--{Boundary}\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"clip.mp4\"\r\n" +
                "Content-Type: video/mp4\r\n\r\nnot a video yet"));
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public sealed class Host : LimitedApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [
            new("RateLimits:VotesPerUserPerMinute", "2"),
            new("RateLimits:UploadsPerUserPerHour", "3"),
            new("RateLimits:UploadsInFlightPerUser", "1"),
            new("RateLimits:UploadsInFlightPerInstance", "2"),
        ];
    }
}
