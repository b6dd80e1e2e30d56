using Mediator;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>A received upload, already spooled by the host to <paramref name="FilePath"/> (the handler never deletes it).</summary>
/// <param name="FilePath">The spooled file; null when the request had no file.</param>
/// <param name="FileSize">Bytes received, as counted by the host while spooling.</param>
public sealed record UploadVideoCommand(Guid UserId, string? Title, string? FilePath, long FileSize)
    : ICommand<UploadVideoResponse>;
