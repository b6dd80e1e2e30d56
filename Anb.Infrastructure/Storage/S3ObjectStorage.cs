using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Anb.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Storage;

/// <summary>
/// Objects in one S3 bucket. Uploads stream through one bounded part buffer: small objects go up in one
/// request, larger ones as a multipart upload that is aborted on failure or cancellation, so an
/// interrupted upload leaves neither an object nor billable parts. Download links are presigned GETs.
/// </summary>
public sealed partial class S3ObjectStorage(
    IAmazonS3 s3,
    IOptions<S3StorageOptions> options,
    TimeProvider timeProvider,
    ILogger<S3ObjectStorage> logger) : IObjectStorage
{
    // Also the most memory one upload holds.
    internal const int PartSize = 8 * 1024 * 1024;

    private static readonly TimeSpan ReachabilityTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

    private readonly S3StorageOptions settings = options.Value;

    /// <summary>Keys per <c>ListObjectsV2</c> page (S3's own maximum by default; smaller in tests of the paging).</summary>
    internal int ListPageSize { get; init; } = 1000;
    private readonly string keyPrefix = NormalisePrefix(options.Value.KeyPrefix);

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var length = await ReadPartAsync(content, buffer, cancellationToken);
            if (length < PartSize)
            {
                using var body = new MemoryStream(buffer, 0, length, writable: false);
                await s3.PutObjectAsync(
                    new PutObjectRequest { BucketName = settings.BucketName, Key = objectKey, ContentType = contentType, InputStream = body },
                    cancellationToken);
                return;
            }

            await PutMultipartAsync(objectKey, content, contentType, buffer, length, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task PutFileAsync(string key, string sourcePath, string contentType, CancellationToken cancellationToken)
    {
        await using var content = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await PutAsync(key, content, contentType, cancellationToken);
    }

    public async Task DownloadToFileAsync(string key, string destinationPath, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(settings.BucketName, ObjectKey(key), cancellationToken);
        }
        catch (AmazonS3Exception ex) when (IsMissingKey(ex))
        {
            throw new FileNotFoundException($"No object with key '{key}'.", ex);
        }

        using (response)
        {
            try
            {
                await using var destination = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await response.ResponseStream.CopyToAsync(destination, cancellationToken);
            }
            catch
            {
                File.Delete(destinationPath);
                throw;
            }
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.DeleteObjectAsync(settings.BucketName, ObjectKey(key), cancellationToken);
        }
        catch (AmazonS3Exception ex) when (IsMissingKey(ex))
        {
            // S3 answers 204 for a missing key; some compatible stores answer 404.
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(
        string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = settings.BucketName,
            Prefix = keyPrefix + prefix,
            StartAfter = startAfter is null ? null : keyPrefix + startAfter,
            MaxKeys = ListPageSize,
        };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var stored in page.S3Objects ?? [])
            {
                yield return new StoredObject(
                    stored.Key[keyPrefix.Length..],
                    new DateTimeOffset((stored.LastModified ?? DateTime.UnixEpoch).ToUniversalTime(), TimeSpan.Zero));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }

    public Uri GetDownloadUrl(string key)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = settings.BucketName,
            Key = ObjectKey(key),
            Verb = HttpVerb.GET,
            Expires = timeProvider.GetUtcNow().UtcDateTime.AddSeconds(settings.UrlLifetimeSeconds),
            Protocol = settings.ServiceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(s3.GetPreSignedURL(request));
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReachabilityTimeout);
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = settings.BucketName }, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(logger, ex, settings.BucketName);
            return false;
        }
    }

    private async Task PutMultipartAsync(string objectKey, Stream content, string contentType, byte[] buffer, int firstPartLength, CancellationToken cancellationToken)
    {
        var upload = await s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = settings.BucketName, Key = objectKey, ContentType = contentType },
            cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            for (var length = firstPartLength; length > 0; length = await ReadPartAsync(content, buffer, cancellationToken))
            {
                using var body = new MemoryStream(buffer, 0, length, writable: false);
                var part = await s3.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = settings.BucketName,
                        Key = objectKey,
                        UploadId = upload.UploadId,
                        PartNumber = parts.Count + 1,
                        PartSize = length,
                        InputStream = body,
                    },
                    cancellationToken);
                parts.Add(new PartETag(part));
            }

            await s3.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = settings.BucketName, Key = objectKey, UploadId = upload.UploadId, PartETags = parts },
                cancellationToken);
        }
        catch (Exception ex)
        {
            await AbortMultipartAsync(objectKey, upload.UploadId, ex);
            throw;
        }
    }

    private async Task AbortMultipartAsync(string objectKey, string uploadId, Exception cause)
    {
        LogMultipartAborted(logger, cause, objectKey);
        using var timeout = new CancellationTokenSource(AbortTimeout);
        try
        {
            await s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = settings.BucketName, Key = objectKey, UploadId = uploadId },
                timeout.Token);
        }
        catch (Exception ex)
        {
            // A bucket lifecycle rule for incomplete multipart uploads is the backstop.
            LogAbortFailed(logger, ex, objectKey, uploadId);
        }
    }

    // Fewer than PartSize bytes only at the end of the stream.
    private static async Task<int> ReadPartAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < PartSize)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static bool IsMissingKey(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket";

    private string ObjectKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return keyPrefix + key;
    }

    private static string NormalisePrefix(string prefix)
    {
        var trimmed = prefix.Trim().Trim('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 bucket {Bucket} is not reachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Multipart upload of {Key} interrupted; aborting it")]
    private static partial void LogMultipartAborted(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not abort multipart upload {UploadId} of {Key}; its parts stay until the bucket's lifecycle rule removes them")]
    private static partial void LogAbortFailed(ILogger logger, Exception exception, string key, string uploadId);
}
