using Mediator;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>A received upload, already spooled by the host to <paramref name="FilePath"/> (the handler never deletes it).</summary>
public sealed record UploadVideoCommand(Guid UserId, string? Title, string? FilePath, long FileSize)
    : ICommand<UploadVideoResponse>;
