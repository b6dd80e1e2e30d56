namespace Anb.Application.Videos.UploadVideo;

public sealed record UploadVideoResponse(string Message, Guid TaskId)
{
    public const string AcceptedMessage = "Video subido correctamente. Procesamiento en curso.";
}
