namespace Anb.Application.Videos.DeleteVideo;

public sealed record DeleteVideoResponse(string Message, Guid VideoId);
