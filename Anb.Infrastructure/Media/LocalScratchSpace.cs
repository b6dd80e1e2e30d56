using Anb.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Media;

/// <summary>
/// Scratch folders under <see cref="ScratchOptions.TempPath"/>, one per processing attempt, inside a folder of
/// this process that it keeps locked while it lives. A worker killed outright (<c>kill -9</c>, out of memory)
/// cannot clean up after itself: the next worker to set up its own folder removes the process folders whose
/// lock nobody holds any more (a live worker's stay, wherever it runs on the same file system).
/// </summary>
internal sealed partial class LocalScratchSpace(IOptions<ScratchOptions> options, ILogger<LocalScratchSpace> logger) : IScratchSpace, IDisposable
{
    internal const string ProcessFolderPrefix = "worker-";
    private const string LockFileName = ".lock";

    private readonly Lock setUp = new();
    private string? processFolder;
    private FileStream? processLock;

    public IScratchFolder Create(Guid videoId)
    {
        var path = Path.Combine(ProcessFolder(), $"{videoId:N}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new Folder(path, logger);
    }

    /// <summary>Releases the lock and removes this process's folder (what a graceful stop leaves).</summary>
    public void Dispose()
    {
        lock (setUp)
        {
            if (processLock is null)
            {
                return;
            }

            processLock.Dispose();
            processLock = null;
            Remove(processFolder!, logger);
        }
    }

    private string ProcessFolder()
    {
        lock (setUp)
        {
            if (processFolder is not null)
            {
                return processFolder;
            }

            var root = options.Value.ResolveRoot();
            Directory.CreateDirectory(root);
            RemoveAbandoned(root);
            var folder = Path.Combine(root, $"{ProcessFolderPrefix}{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            // FileShare.None takes an exclusive advisory lock (flock on Unix) that the system drops when the process dies.
            processLock = new FileStream(Path.Combine(folder, LockFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            return processFolder = folder;
        }
    }

    private void RemoveAbandoned(string root)
    {
        foreach (var folder in Directory.EnumerateDirectories(root, ProcessFolderPrefix + "*"))
        {
            try
            {
                // Opens only when no live process holds the lock; a folder still without its lock file is being set up.
                using (new FileStream(Path.Combine(folder, LockFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            LogRemovingAbandoned(logger, folder);
            Remove(folder, logger);
        }
    }

    private static void Remove(string path, ILogger logger)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove scratch folder {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the scratch folder {Path} of a worker that died without cleaning up")]
    private static partial void LogRemovingAbandoned(ILogger logger, string path);

    private sealed class Folder(string path, ILogger logger) : IScratchFolder
    {
        public string PathOf(string fileName) => Path.Combine(path, fileName);

        public void Dispose() => Remove(path, logger);
    }
}
