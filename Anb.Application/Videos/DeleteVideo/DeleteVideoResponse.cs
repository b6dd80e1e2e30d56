namespace Anb.Application.Videos.DeleteVideo;

public sealed record DeleteVideoResponse(string Message, Guid VideoId)
{
    public const string DeletedMessage = "El video ha sido eliminado exitosamente.";
}
