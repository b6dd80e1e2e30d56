using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Web;
using Amazon.S3;
using Amazon.S3.Model;
using Anb.Infrastructure.Storage;
using Anb.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Anb.IntegrationTests.Aws;

[Collection(AwsCollection.Name)]
public sealed class S3ObjectStorageTests(MotoServerFixture moto, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Prefix = "tenant-a";
    private readonly string scratch = Path.Combine(Path.GetTempPath(), "anb-tests", $"s3-{Guid.NewGuid():N}");
    private AmazonS3Client s3 = null!;
    private string bucket = null!;
    private S3ObjectStorage storage = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(scratch);
        s3 = moto.CreateS3Client();
        bucket = await moto.CreateBucketAsync("s3");
        storage = Create(moto.S3Options(bucket, Prefix));
    }

    public Task DisposeAsync()
    {
        s3.Dispose();
        Directory.Delete(scratch, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PutThenDownload_40MbObject_GoesUpInPartsAndRoundTripsInBoundedMemory()
    {
        const long size = 40L * 1024 * 1024;
        var source = Path.Combine(scratch, "large.bin");
        var expectedHash = await GeneratedStream.WriteFileAsync(source, size);
        await storage.PutAsync("warm-up/tiny.bin", new MemoryStream([1]), "application/octet-stream", default);

        var beforeUpload = GC.GetTotalAllocatedBytes(precise: true);
        await using (var file = File.OpenRead(source))
        {
            await storage.PutAsync("originals/large.mp4", file, "video/mp4", default);
        }

        var uploadAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforeUpload;
        var copy = Path.Combine(scratch, "copy.bin");
        var beforeDownload = GC.GetTotalAllocatedBytes(precise: true);
        await storage.DownloadToFileAsync("originals/large.mp4", copy, default);
        var downloadAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforeDownload;

        output.WriteLine($"allocated: upload {uploadAllocated:N0} B, download {downloadAllocated:N0} B");
        Assert.Equal(expectedHash, await HashFileAsync(copy));
        var head = await s3.GetObjectMetadataAsync(bucket, $"{Prefix}/originals/large.mp4");
        Assert.Equal(size, head.ContentLength);
        Assert.Equal("video/mp4", head.Headers.ContentType);
        Assert.EndsWith($"-{size / S3ObjectStorage.PartSize}\"", head.ETag, StringComparison.Ordinal);
        Assert.True(uploadAllocated < size / 2, $"Upload allocated {uploadAllocated:N0} bytes for a {size:N0} byte object.");
        Assert.True(downloadAllocated < size / 2, $"Download allocated {downloadAllocated:N0} bytes for a {size:N0} byte object.");
    }

    [Fact]
    public async Task Put_SmallObject_IsStoredUnderTheKeyPrefixInOneRequest()
    {
        await storage.PutAsync("originals/small.mp4", new MemoryStream([1, 2, 3]), "video/mp4", default);
        var copy = Path.Combine(scratch, "small.bin");

        await storage.DownloadToFileAsync("originals/small.mp4", copy, default);

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(copy));
        var head = await s3.GetObjectMetadataAsync(bucket, $"{Prefix}/originals/small.mp4");
        Assert.Equal("video/mp4", head.Headers.ContentType);
        Assert.DoesNotContain('-', head.ETag);
    }

    [Fact]
    public async Task PutFile_LocalFile_IsUploadedAndTheFileIsLeftToTheCaller()
    {
        var source = Path.Combine(scratch, "spool.tmp");
        await File.WriteAllBytesAsync(source, [7, 8, 9]);
        var copy = Path.Combine(scratch, "from-file.bin");

        await storage.PutFileAsync("originals/from-file.mp4", source, "video/mp4", default);

        await storage.DownloadToFileAsync("originals/from-file.mp4", copy, default);
        Assert.Equal([7, 8, 9], await File.ReadAllBytesAsync(copy));
        Assert.Equal("video/mp4", (await s3.GetObjectMetadataAsync(bucket, $"{Prefix}/originals/from-file.mp4")).Headers.ContentType);
        Assert.True(File.Exists(source));
    }

    [Fact]
    public async Task Put_SourceFailsAfterTwoParts_AbortsTheMultipartUploadAndLeavesNoObject()
    {
        var source = new InterruptedStream(failAfter: (2 * S3ObjectStorage.PartSize) + 1000);

        await Assert.ThrowsAsync<IOException>(() => storage.PutAsync("originals/broken.mp4", source, "video/mp4", default));

        await AssertNothingLeftAsync("originals/broken.mp4");
    }

    [Fact]
    public async Task Put_CancelledMidway_AbortsTheMultipartUploadAndLeavesNoObject()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new InterruptedStream(failAfter: S3ObjectStorage.PartSize + 1000, cancelInstead: cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => storage.PutAsync("originals/cancelled.mp4", source, "video/mp4", cancellation.Token));

        await AssertNothingLeftAsync("originals/cancelled.mp4");
    }

    [Fact]
    public async Task Put_ExistingKey_ReplacesTheObject()
    {
        await storage.PutAsync("k/v.mp4", new MemoryStream([1, 2, 3]), "video/mp4", default);
        await storage.PutAsync("k/v.mp4", new MemoryStream([9]), "video/mp4", default);
        var copy = Path.Combine(scratch, "v.bin");

        await storage.DownloadToFileAsync("k/v.mp4", copy, default);

        Assert.Equal([9], await File.ReadAllBytesAsync(copy));
    }

    [Fact]
    public async Task Delete_RemovesTheObjectAndIgnoresAMissingOne()
    {
        await storage.PutAsync("k/d.mp4", new MemoryStream([1]), "video/mp4", default);

        await storage.DeleteAsync("k/d.mp4", default);
        await storage.DeleteAsync("k/d.mp4", default);
        await storage.DeleteAsync("k/never-existed.mp4", default);

        Assert.Null((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = $"{Prefix}/k/d" })).S3Objects);
    }

    [Fact]
    public async Task Download_MissingKey_ThrowsFileNotFoundAndCreatesNoFile()
    {
        var destination = Path.Combine(scratch, "none.bin");

        await Assert.ThrowsAsync<FileNotFoundException>(() => storage.DownloadToFileAsync("k/none.mp4", destination, default));

        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task DownloadUrl_FetchedWithPlainHttp_ReturnsTheObject()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await storage.PutAsync("processed/p.mp4", new MemoryStream(bytes), "video/mp4", default);

        var url = storage.GetDownloadUrl("processed/p.mp4");
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);

        Assert.Equal(Uri.UriSchemeHttp, url.Scheme);
        Assert.StartsWith($"{moto.EndpointUrl}/{bucket}/{Prefix}/processed/p.mp4?", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    /// <remarks>
    /// S3 refuses a link once <c>X-Amz-Date</c> + <c>X-Amz-Expires</c> has passed. moto 5 does not check
    /// that (its S3 never reads <c>X-Amz-Expires</c>), so this asserts what the link is signed with. The SDK
    /// counts the lifetime from its clock corrected by the endpoint's whole-second <c>Date</c>, hence ±1 s.
    /// </remarks>
    [Fact]
    public void DownloadUrl_IsSignedForTheConfiguredLifetime()
    {
        var shortLived = Create(moto.S3Options(bucket, Prefix, urlLifetimeSeconds: 120));

        var query = HttpUtility.ParseQueryString(shortLived.GetDownloadUrl("processed/p.mp4").Query);

        Assert.Equal("AWS4-HMAC-SHA256", query["X-Amz-Algorithm"]);
        Assert.InRange(int.Parse(query["X-Amz-Expires"]!, CultureInfo.InvariantCulture), 119, 121);
        var signedAt = DateTime.ParseExact(query["X-Amz-Date"]!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(signedAt, DateTime.UtcNow.AddSeconds(-10), DateTime.UtcNow.AddSeconds(10));
        Assert.False(string.IsNullOrEmpty(query["X-Amz-Signature"]));
    }

    [Fact]
    public async Task IsReachable_ExistingBucket_IsTrue() =>
        Assert.True(await storage.IsReachableAsync(default));

    [Fact]
    public async Task IsReachable_MissingBucket_IsFalse() =>
        Assert.False(await Create(moto.S3Options($"missing-{Guid.NewGuid():N}")).IsReachableAsync(default));

    [Fact]
    public async Task IsReachable_NothingListening_IsFalseWithinSeconds()
    {
        var options = moto.S3Options(bucket);
        options.ServiceUrl = "http://127.0.0.1:9";
        using var deadClient = StorageRegistration.CreateClient(options);
        var dead = new S3ObjectStorage(deadClient, Options.Create(options), TimeProvider.System, NullLogger<S3ObjectStorage>.Instance);
        var started = DateTime.UtcNow;

        Assert.False(await dead.IsReachableAsync(default));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task List_ManyPages_GivesTheKeysUnderThePrefixInOrderWithoutTheKeyPrefixFromAfterStartAfter()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        string[] keys = ["originals/c.mp4", "originals/a.mp4", "originals/e.mp4", "originals/b.mp4", "originals/d.mp4"];
        foreach (var key in keys.Append("processed/a.mp4").Append("originalsX/a.mp4"))
        {
            await storage.PutAsync(key, new MemoryStream([1]), "video/mp4", default);
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "originals/outside-the-key-prefix.mp4", ContentBody = "x" });
        var paged = new S3ObjectStorage(s3, Options.Create(moto.S3Options(bucket, Prefix)), TimeProvider.System, NullLogger<S3ObjectStorage>.Instance)
        {
            ListPageSize = 2,
        };

        var all = await paged.ListAsync("originals/", null, default).ToListAsync();
        var rest = await paged.ListAsync("originals/", "originals/b.mp4", default).ToListAsync();

        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(o => o.Key));
        Assert.All(all, o => Assert.InRange(o.LastModified, before, DateTimeOffset.UtcNow.AddSeconds(5)));
        Assert.Equal(["originals/c.mp4", "originals/d.mp4", "originals/e.mp4"], rest.Select(o => o.Key));
        Assert.Empty(await paged.ListAsync("nothing/", null, default).ToListAsync());
    }

    private S3ObjectStorage Create(S3StorageOptions options) =>
        new(s3, Options.Create(options), TimeProvider.System, NullLogger<S3ObjectStorage>.Instance);

    private async Task AssertNothingLeftAsync(string key)
    {
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = $"{Prefix}/{key}" });
        Assert.Empty(objects.S3Objects ?? []);
    }

    private static async Task<byte[]> HashFileAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return await SHA256.HashDataAsync(file);
    }
}
