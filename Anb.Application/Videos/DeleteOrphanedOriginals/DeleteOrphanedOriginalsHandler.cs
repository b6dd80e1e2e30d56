using Anb.Application.Abstractions;
using Anb.Application.Videos.Common;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.DeleteOrphanedOriginals;

/// <summary>
/// Lists originals in key order and deletes each one older than <see cref="OrphanedOriginalsOptions.OrphanGraceSeconds"/>
/// whose video has no row, looking rows up a page of keys at a time. Keys that are not a video's original are left alone.
/// </summary>
public sealed partial class DeleteOrphanedOriginalsHandler(
    IObjectStorage storage,
    IVideoRepository videos,
    IOptions<OrphanedOriginalsOptions> options,
    TimeProvider timeProvider,
    ILogger<DeleteOrphanedOriginalsHandler> logger) : ICommandHandler<DeleteOrphanedOriginalsCommand, DeleteOrphanedOriginalsResult>
{
    private const int LookupBatch = 200;

    public async ValueTask<DeleteOrphanedOriginalsResult> Handle(DeleteOrphanedOriginalsCommand command, CancellationToken cancellationToken)
    {
        var writtenBefore = timeProvider.GetUtcNow() - TimeSpan.FromSeconds(options.Value.OrphanGraceSeconds);
        var candidates = new Dictionary<Guid, string>();
        int examined = 0, deleted = 0;
        string? last = null;
        await foreach (var stored in storage.ListAsync(VideoStorageKeys.OriginalsPrefix, command.StartAfter, cancellationToken))
        {
            if (examined == command.MaxObjects)
            {
                deleted += await DeleteWithoutRowAsync(candidates, cancellationToken);
                return Finish(examined, deleted, last);
            }

            examined++;
            last = stored.Key;
            if (stored.LastModified < writtenBefore && VideoStorageKeys.TryParseOriginal(stored.Key, out var videoId))
            {
                candidates[videoId] = stored.Key;
            }

            if (candidates.Count == LookupBatch)
            {
                deleted += await DeleteWithoutRowAsync(candidates, cancellationToken);
            }
        }

        deleted += await DeleteWithoutRowAsync(candidates, cancellationToken);
        return Finish(examined, deleted, null);
    }

    private DeleteOrphanedOriginalsResult Finish(int examined, int deleted, string? resumeAfter)
    {
        if (deleted > 0)
        {
            LogDeleted(logger, deleted, examined);
        }

        return new DeleteOrphanedOriginalsResult(examined, deleted, resumeAfter);
    }

    private async Task<int> DeleteWithoutRowAsync(Dictionary<Guid, string> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return 0;
        }

        var withRow = await videos.FindExistingAsync([.. candidates.Keys], cancellationToken);
        var deleted = 0;
        foreach (var (videoId, key) in candidates.Where(c => !withRow.Contains(c.Key)))
        {
            await storage.DeleteAsync(key, cancellationToken);
            LogOrphanDeleted(logger, key, videoId);
            deleted++;
        }

        candidates.Clear();
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted original {Key}: video {VideoId} has no row")]
    private static partial void LogOrphanDeleted(ILogger logger, string key, Guid videoId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orphaned-originals sweep: {Deleted} deleted of {Examined} examined")]
    private static partial void LogDeleted(ILogger logger, int deleted, int examined);
}
