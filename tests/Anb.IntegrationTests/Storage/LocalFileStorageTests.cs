using System.Security.Cryptography;
using System.Web;
using Anb.Infrastructure.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Anb.IntegrationTests.Storage;

public sealed class LocalFileStorageTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "anb-tests", $"local-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly LocalFileStorage storage;

    public LocalFileStorageTests() => storage = Create("link-signing-key");

    public void Dispose() => Directory.Delete(root, recursive: true);

    private LocalFileStorage Create(string key) => new(
        Options.Create(new LocalStorageOptions { RootPath = root, PublicBaseUrl = "http://api.test/", SigningKey = key, UrlLifetimeSeconds = 60 }),
        time);

    [Fact]
    public async Task PutThenDownload_LargeObject_RoundTripsBytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        await storage.PutAsync("originals/a.mp4", new MemoryStream(bytes), "video/mp4", default);
        var copy = Path.Combine(root, "copy.bin");

        await storage.DownloadToFileAsync("originals/a.mp4", copy, default);

        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(copy)));
        Assert.Empty(Directory.GetFiles(root, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task List_GivesTheKeysUnderThePrefixInOrderFromAfterStartAfterWithoutFilesBeingWritten()
    {
        string[] keys = ["originals/c.mp4", "originals/a.mp4", "originals/b.mp4", "originals/deeper/z.mp4"];
        foreach (var key in keys.Append("processed/a.mp4").Append("originalsX/a.mp4"))
        {
            await storage.PutAsync(key, new MemoryStream([1]), "video/mp4", default);
        }

        await File.WriteAllBytesAsync(Path.Combine(root, "originals", "d.mp4.0123.part"), [1]);
        var written = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(root, "originals", "a.mp4"), written);

        var all = await storage.ListAsync("originals/", null, default).ToListAsync();
        var rest = await storage.ListAsync("originals/", "originals/b.mp4", default).ToListAsync();

        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(o => o.Key));
        Assert.Equal(new DateTimeOffset(written), all[0].LastModified);
        Assert.Equal(["originals/c.mp4", "originals/deeper/z.mp4"], rest.Select(o => o.Key));
        Assert.Empty(await storage.ListAsync("nothing/", null, default).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () => await storage.ListAsync("../", null, default).ToListAsync());
    }

    [Fact]
    public async Task Put_ExistingKey_ReplacesIt()
    {
        await storage.PutAsync("k/v.mp4", new MemoryStream([1, 2, 3]), "video/mp4", default);
        await storage.PutAsync("k/v.mp4", new MemoryStream([9]), "video/mp4", default);

        Assert.Equal([9], await File.ReadAllBytesAsync(Path.Combine(root, "k", "v.mp4")));
    }

    [Fact]
    public async Task Put_InterruptedStream_LeavesNothing()
    {
        await Assert.ThrowsAsync<IOException>(() => storage.PutAsync("k/broken.mp4", new FailingStream(), "video/mp4", default));

        Assert.False(File.Exists(Path.Combine(root, "k", "broken.mp4")));
        Assert.Empty(Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task PutFile_SameDisk_MovesTheFileIntoPlace()
    {
        var bytes = RandomNumberGenerator.GetBytes(1024 * 1024);
        var spool = Path.Combine(root, "spool", "upload.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
        await File.WriteAllBytesAsync(spool, bytes);
        var inode = Inode(spool);

        await storage.PutFileAsync("originals/moved.mp4", spool, "video/mp4", default);

        Assert.False(File.Exists(spool));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(root, "originals", "moved.mp4")));
        Assert.Equal(inode, Inode(Path.Combine(root, "originals", "moved.mp4")));
        Assert.Empty(Directory.GetFiles(root, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task PutFile_OtherFileSystem_CopiesAndReplacesTheObject()
    {
        // /dev/shm is a tmpfs: a rename from there into the store is refused by the kernel, so this is the copy path.
        var source = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"anb-{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(source, [4, 5, 6]);
        await storage.PutAsync("k/v.mp4", new MemoryStream([1]), "video/mp4", default);

        try
        {
            await storage.PutFileAsync("k/v.mp4", source, "video/mp4", default);

            Assert.Equal([4, 5, 6], await File.ReadAllBytesAsync(Path.Combine(root, "k", "v.mp4")));
            Assert.Empty(Directory.GetFiles(root, "*.part", SearchOption.AllDirectories));
        }
        finally
        {
            File.Delete(source);
        }
    }

    [Fact]
    public async Task PutFile_MissingSource_ThrowsAndLeavesNothing()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(
            () => storage.PutFileAsync("k/missing.mp4", Path.Combine(root, "none.tmp"), "video/mp4", default));

        Assert.Empty(Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task PutFile_KeyOutsideTheRoot_IsRefusedAndTheFileStays()
    {
        var spool = Path.Combine(root, "spool.tmp");
        await File.WriteAllBytesAsync(spool, [1]);

        await Assert.ThrowsAsync<ArgumentException>(() => storage.PutFileAsync("../outside.mp4", spool, "video/mp4", default));

        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task Delete_RemovesObjectAndIgnoresMissing()
    {
        await storage.PutAsync("k/d.mp4", new MemoryStream([1]), "video/mp4", default);

        await storage.DeleteAsync("k/d.mp4", default);
        await storage.DeleteAsync("k/d.mp4", default);

        Assert.False(File.Exists(Path.Combine(root, "k", "d.mp4")));
    }

    [Fact]
    public async Task Download_MissingKey_ThrowsFileNotFound() =>
        await Assert.ThrowsAsync<FileNotFoundException>(() => storage.DownloadToFileAsync("k/none.mp4", Path.Combine(root, "x"), default));

    [Theory]
    [InlineData("../outside.mp4")]
    [InlineData("/etc/passwd")]
    [InlineData("k/../../outside.mp4")]
    public async Task Keys_OutsideTheRoot_AreRefused(string key) =>
        await Assert.ThrowsAsync<ArgumentException>(() => storage.PutAsync(key, new MemoryStream([1]), "video/mp4", default));

    [Fact]
    public void DownloadUrl_IsSignedAndExpires()
    {
        var url = storage.GetDownloadUrl("processed/p.mp4");
        var query = HttpUtility.ParseQueryString(url.Query);
        var expires = long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.StartsWith("http://api.test/files/processed/p.mp4?", url.ToString(), StringComparison.Ordinal);
        Assert.NotNull(storage.ResolveSignedLink("processed/p.mp4", expires, query["signature"]));
        Assert.Null(storage.ResolveSignedLink("processed/other.mp4", expires, query["signature"]));
        Assert.Null(storage.ResolveSignedLink("processed/p.mp4", expires + 1, query["signature"]));
        Assert.Null(Create("another-key").ResolveSignedLink("processed/p.mp4", expires, query["signature"]));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(storage.ResolveSignedLink("processed/p.mp4", expires, query["signature"]));
    }

    // The same inode before and after: renamed, not copied.
    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path])
        {
            RedirectStandardOutput = true,
        })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        Assert.Equal(0, stat.ExitCode);
        return inode;
    }

    private sealed class FailingStream : MemoryStream
    {
        private int reads;

        public FailingStream()
            : base(new byte[1024 * 1024])
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ++reads > 3 ? throw new IOException("connection reset") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
    }
}
