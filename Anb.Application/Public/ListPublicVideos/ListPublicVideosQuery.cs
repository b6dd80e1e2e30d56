using Anb.Application.Public.Common;
using Mediator;

namespace Anb.Application.Public.ListPublicVideos;

/// <param name="ViewerId">The player behind a valid token, or null for an anonymous visitor.</param>
public sealed record ListPublicVideosQuery(int Limit, int Offset, string? City, Guid? ViewerId)
    : IQuery<IReadOnlyList<PublicVideoItem>>, IShowcasePageQuery
{
    public const int DefaultLimit = 20;
}
