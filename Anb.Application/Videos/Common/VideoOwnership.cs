using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Domain.Videos;

namespace Anb.Application.Videos.Common;

internal static class VideoOwnership
{
    /// <summary>Loads a video the player owns: 404 when there is none, 403 when it is someone else's.</summary>
    public static async Task<Video> FindOwnedAsync(
        this IVideoRepository videos, Guid videoId, Guid userId, CancellationToken cancellationToken)
    {
        var video = await videos.FindAsync(videoId, cancellationToken)
            ?? throw new NotFoundException(ClientMessages.Videos.NotFound);
        return video.IsOwnedBy(userId) ? video : throw new ForbiddenException(ClientMessages.Videos.NotOwner);
    }
}
