namespace Anb.Application.Videos.UploadVideo;

public sealed record UploadVideoResponse(string Message, Guid TaskId);
