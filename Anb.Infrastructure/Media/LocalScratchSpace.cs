using Anb.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Media;

/// <summary>Scratch folders under <see cref="ScratchOptions.TempPath"/>, one per processing attempt.</summary>
internal sealed partial class LocalScratchSpace(IOptions<ScratchOptions> options, ILogger<LocalScratchSpace> logger) : IScratchSpace
{
    public IScratchFolder Create(Guid videoId)
    {
        var path = Path.Combine(options.Value.ResolveRoot(), $"{videoId:N}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new Folder(path, logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove scratch folder {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);

    private sealed class Folder(string path, ILogger logger) : IScratchFolder
    {
        public string PathOf(string fileName) => Path.Combine(path, fileName);

        public void Dispose()
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
    }
}
