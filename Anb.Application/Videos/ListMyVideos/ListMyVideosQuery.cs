using Mediator;

namespace Anb.Application.Videos.ListMyVideos;

public sealed record ListMyVideosQuery(Guid UserId) : IQuery<IReadOnlyList<MyVideoItem>>;
