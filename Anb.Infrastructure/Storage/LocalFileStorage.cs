using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Anb.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Storage;

/// <summary>
/// Objects as files under a root folder. Writes go to a temporary name and are renamed into place, so a
/// reader never sees half a file. Download links are HMAC-signed and expire; the API serves them.
/// </summary>
public sealed class LocalFileStorage : IObjectStorage
{
    public const string FilesRoute = "/files";

    private const string TemporarySuffix = ".part";

    private readonly LocalStorageOptions options;
    private readonly TimeProvider timeProvider;
    private readonly byte[] signingKey;
    private readonly string root;

    public LocalFileStorage(IOptions<LocalStorageOptions> options, TimeProvider timeProvider)
    {
        this.options = options.Value;
        this.timeProvider = timeProvider;
        root = Path.GetFullPath(this.options.RootPath);
        signingKey = string.IsNullOrEmpty(this.options.SigningKey)
            ? RandomNumberGenerator.GetBytes(32)
            : Encoding.UTF8.GetBytes(this.options.SigningKey);
        Directory.CreateDirectory(root);
    }

    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        WriteThenRenameAsync(key, async temporary =>
        {
            await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await content.CopyToAsync(file, cancellationToken);
        });

    // A rename when the file is on the store's file system (an upload's spool file usually is), a copy otherwise.
    public Task PutFileAsync(string key, string sourcePath, string contentType, CancellationToken cancellationToken) =>
        WriteThenRenameAsync(key, temporary =>
        {
            File.Move(sourcePath, temporary);
            return Task.CompletedTask;
        });

    public async Task DownloadToFileAsync(string key, string destinationPath, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No object with key '{key}'.");
        }

        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using var destination = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await source.CopyToAsync(destination, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    // Files being written (WriteThenRenameAsync's temporary names) are not objects yet.
    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, string? startAfter, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(Path.Combine(root, prefix[..(prefix.LastIndexOf('/') + 1)]));
        if (folder != root && !folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The prefix points outside the storage root.", nameof(prefix));
        }

        if (!Directory.Exists(folder))
        {
            return AsyncEnumerable.Empty<StoredObject>();
        }

        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal) && (startAfter is null || string.CompareOrdinal(key, startAfter) > 0))
            .Order(StringComparer.Ordinal)
            .Select(key => (Key: key, File: new FileInfo(PathOf(key))))
            .Where(o => o.File.Exists)
            .Select(o => new StoredObject(o.Key, new DateTimeOffset(o.File.LastWriteTimeUtc, TimeSpan.Zero)))
            .ToAsyncEnumerable();
    }

    public Uri GetDownloadUrl(string key)
    {
        var expires = timeProvider.GetUtcNow().AddSeconds(options.UrlLifetimeSeconds).ToUnixTimeSeconds();
        var baseUrl = options.PublicBaseUrl.TrimEnd('/');
        return new Uri($"{baseUrl}{FilesRoute}/{key}?expires={expires}&signature={Sign(key, expires)}");
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(Directory.Exists(root));

    /// <summary>The file path behind a download link, or null when the link is forged or expired.</summary>
    public string? ResolveSignedLink(string key, long expires, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || expires < timeProvider.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        return PathOf(key);
    }

    private string Sign(string key, long expires)
    {
        var payload = Encoding.UTF8.GetBytes($"{key}\n{expires.ToString(CultureInfo.InvariantCulture)}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, payload));
    }

    /// <summary>Writes the object under a temporary name beside its place, then renames it into place, so a reader never sees half a file.</summary>
    private async Task WriteThenRenameAsync(string key, Func<string, Task> write)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            await write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, key));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The key points outside the storage root.", nameof(key));
        }

        return path;
    }
}
