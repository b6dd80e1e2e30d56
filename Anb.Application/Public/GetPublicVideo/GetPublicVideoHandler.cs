using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Public.Common;
using Anb.Application.Public.ListPublicVideos;
using Mediator;

namespace Anb.Application.Public.GetPublicVideo;

/// <summary>A video that is not public (unknown, deleted, not processed yet or failed) is not found.</summary>
public sealed class GetPublicVideoHandler(IShowcaseReader reader, IObjectStorage storage)
    : IQueryHandler<GetPublicVideoQuery, PublicVideoItem>
{
    public async ValueTask<PublicVideoItem> Handle(GetPublicVideoQuery query, CancellationToken cancellationToken)
    {
        var row = await reader.FindPublicVideoAsync(query.VideoId, query.ViewerId, cancellationToken)
            ?? throw new NotFoundException(ClientMessages.Videos.NotFound);
        return row.ToItem(storage, query.ViewerId);
    }
}
