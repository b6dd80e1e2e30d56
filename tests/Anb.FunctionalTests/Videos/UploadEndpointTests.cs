using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Videos;

/// <summary>POST /api/videos/upload: every answer of the contract, and nothing left behind on a refusal.</summary>
public sealed class UploadEndpointTests(UploadEndpointTests.Factory factory) : IClassFixture<UploadEndpointTests.Factory>
{
    public sealed class Factory : AnbApiFactory
    {
        public string SpoolFolder { get; } = Path.Combine(Path.GetTempPath(), "anb-tests", $"spool-{Guid.NewGuid():N}");

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Upload:TempPath", SpoolFolder)];
    }

    private async Task<HttpClient> PlayerAsync() => (await factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient)).Client;

    [Fact]
    public async Task Upload_Valid1080pClip_Returns201StoresRecordsAndEnqueues()
    {
        var client = await PlayerAsync();
        var clip = await VideoFixtures.Mp4Async(1920, 1080, 25);

        var response = await client.UploadAsync(clip, fileName: "../../etc/evil name.mp4");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(["message", "task_id"], body.Select(p => p.Key).Order());
        Assert.Equal("Video subido correctamente. Procesamiento en curso.", (string?)body["message"]);
        var id = Guid.Parse((string)body["task_id"]!);
        Assert.Equal("uploaded", await factory.Database.ScalarAsync<string>("SELECT status FROM videos WHERE id = $1", id));
        var key = await factory.Database.ScalarAsync<string>("SELECT original_key FROM videos WHERE id = $1", id);
        Assert.Equal($"originals/{id:N}.mp4", key); // made by the server, not from the client's file name
        Assert.Equal(new FileInfo(clip).Length, new FileInfo(Path.Combine(factory.StorageRoot, key!)).Length);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE '%' || $1 || '%'", id.ToString()));
        AssertSpoolEmpty();
    }

    [Fact]
    public async Task Upload_PortraitClip_IsAccepted()
    {
        var client = await PlayerAsync();

        var response = await client.UploadAsync(await VideoFixtures.Mp4Async(1080, 1920, 21));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "text", "El archivo debe ser un video MP4 válido." },
        { "empty", "El archivo debe ser un video MP4 válido." },
        { "truncated", "El archivo debe ser un video MP4 válido." },
        { "webm", "El archivo debe ser un video MP4 válido." },
        { "mpeg4", "El video debe estar codificado en H.264 o HEVC." },
        { "short", "La duración del video debe estar entre 20 y 60 segundos." },
        { "long", "La duración del video debe estar entre 20 y 60 segundos." },
        { "720p", "La resolución mínima del video es 1080p." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Upload_BadFile_Returns400AndLeavesNothing(string kind, string detail)
    {
        var client = await PlayerAsync();
        var path = kind switch
        {
            "text" => await VideoFixtures.TextAsMp4Async(),
            "empty" => await VideoFixtures.EmptyMp4Async(),
            "truncated" => await VideoFixtures.TruncatedCopyAsync(await VideoFixtures.Mp4Async(1920, 1080, 25), 0.6),
            "webm" => await VideoFixtures.WebMAsync(320, 240, 2), // refused by its container before size or length matter
            "mpeg4" => await VideoFixtures.Mp4Async(1920, 1080, 25, codec: "mpeg4"), // MP4, 1080p, 25 s: only the codec is wrong
            "short" => await VideoFixtures.Mp4Async(1920, 1080, 12),
            "long" => await VideoFixtures.Mp4Async(1920, 1080, 62),
            _ => await VideoFixtures.Mp4Async(1280, 720, 25),
        };

        var response = await client.UploadAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, detail);
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_Over100MB_Returns400WithoutStoringIt()
    {
        var client = await PlayerAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("grande"), "title" },
            { new StreamContent(new ZeroStream(101L * 1024 * 1024)), "video_file", "big.mp4" },
        };

        var response = await client.PostAsync("/api/videos/upload", form);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El archivo supera el tamaño máximo de 100 MB.");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_MissingTitle_Returns400()
    {
        var client = await PlayerAsync();

        var response = await client.UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, 25), title: null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El campo title es obligatorio.");
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_TitleTooLong_Returns400()
    {
        var client = await PlayerAsync();

        var response = await client.UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, 25), title: new string('x', 201));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El título debe tener entre 1 y 200 caracteres.");
    }

    [Fact]
    public async Task Upload_MissingFile_Returns400()
    {
        var client = await PlayerAsync();

        var response = await client.UploadAsync(null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El campo video_file es obligatorio.");
    }

    [Fact]
    public async Task Upload_NotMultipart_Returns400()
    {
        var client = await PlayerAsync();

        var response = await client.PostAsync("/api/videos/upload", new StringContent("{\"title\":\"x\"}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "La solicitud debe ser multipart/form-data con los campos video_file y title.");
    }

    [Fact]
    public async Task Upload_WithoutToken_Returns401()
    {
        var response = await factory.CreateClient().UploadAsync(await VideoFixtures.Mp4Async(1920, 1080, 25));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await AssertNothingLeftAsync();
    }

    [Fact]
    public async Task Upload_MalformedMultipart_Returns400()
    {
        var client = await PlayerAsync();
        var content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var response = await client.PostAsync("/api/videos/upload", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        AssertSpoolEmpty();
    }

    private async Task AssertNothingLeftAsync()
    {
        var rows = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM videos");
        var jobs = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job");
        var objects = Directory.Exists(Path.Combine(factory.StorageRoot, "originals"))
            ? Directory.GetFiles(Path.Combine(factory.StorageRoot, "originals")).Length
            : 0;
        Assert.Equal(rows, objects); // every object has its row and every row its object
        Assert.Equal(rows, jobs);    // and every task its row
        AssertSpoolEmpty();
    }

    private void AssertSpoolEmpty() =>
        Assert.True(!Directory.Exists(factory.SpoolFolder) || Directory.GetFiles(factory.SpoolFolder).Length == 0, "Spooled upload left behind.");

    /// <summary>A body of zeros produced as it is read, so a huge upload costs no memory in the test.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
