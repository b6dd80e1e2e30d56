using System.Net;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Videos;

/// <summary>Uploads over a real socket (Kestrel, not the in-memory test server).</summary>
public sealed class KestrelUploadTests(KestrelUploadTests.Factory factory) : IClassFixture<KestrelUploadTests.Factory>
{
    public sealed class Factory : AnbApiFactory
    {
        public Factory() => UseKestrel(0);
    }

    [Fact]
    public async Task Upload_OverASocket_StoresTheExactBytes()
    {
        var (client, _) = await factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);
        var clip = await VideoFixtures.Mp4Async(1920, 1080, 25);

        var response = await client.UploadAsync(clip);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = Guid.Parse((string)(await response.ReadObjectAsync())["task_id"]!);
        var stored = Path.Combine(factory.StorageRoot, "originals", $"{id:N}.mp4");
        Assert.Equal(await File.ReadAllBytesAsync(clip), await File.ReadAllBytesAsync(stored));
    }
}
