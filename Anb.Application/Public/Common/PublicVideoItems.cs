using Anb.Application.Abstractions;
using Anb.Application.Public.ListPublicVideos;

namespace Anb.Application.Public.Common;

/// <summary>A public video as the list and the single-video route both answer it.</summary>
public static class PublicVideoItems
{
    /// <summary>The item for <paramref name="viewerId"/>: <c>VotedByMe</c> only for a signed-in viewer, links signed by storage.</summary>
    public static PublicVideoItem ToItem(this PublicVideoRow row, IObjectStorage storage, Guid? viewerId) =>
        new(
            row.VideoId,
            row.Title,
            row.OwnerName,
            row.City,
            row.Votes,
            storage.GetDownloadUrl(row.ProcessedKey),
            storage.LinkTo(row.PosterKey),
            viewerId is null ? null : row.VotedByViewer);
}
