using Anb.Application.Public.ListPublicVideos;
using Mediator;

namespace Anb.Application.Public.GetPublicVideo;

/// <summary>One public (processed) video, as an item of the public list.</summary>
/// <param name="ViewerId">The player behind a valid token, or null for an anonymous visitor.</param>
public sealed record GetPublicVideoQuery(Guid VideoId, Guid? ViewerId) : IQuery<PublicVideoItem>;
