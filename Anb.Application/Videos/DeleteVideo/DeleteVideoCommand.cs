using Mediator;

namespace Anb.Application.Videos.DeleteVideo;

public sealed record DeleteVideoCommand(Guid UserId, Guid VideoId) : ICommand<DeleteVideoResponse>;
