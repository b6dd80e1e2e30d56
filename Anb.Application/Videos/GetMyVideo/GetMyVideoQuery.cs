using Mediator;

namespace Anb.Application.Videos.GetMyVideo;

public sealed record GetMyVideoQuery(Guid UserId, Guid VideoId) : IQuery<MyVideoDetail>;
