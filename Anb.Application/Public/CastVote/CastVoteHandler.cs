using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Mediator;

namespace Anb.Application.Public.CastVote;

/// <summary>One vote per player per video, only for public videos of other players.</summary>
public sealed class CastVoteHandler(IVideoRepository videos, IVoteRepository votes, TimeProvider timeProvider)
    : ICommandHandler<CastVoteCommand, CastVoteResponse>
{
    public async ValueTask<CastVoteResponse> Handle(CastVoteCommand command, CancellationToken cancellationToken)
    {
        var video = await videos.FindAsync(command.VideoId, cancellationToken)
            ?? throw new NotFoundException(ClientMessages.Videos.NotFound);
        video.EnsureCanBeVotedBy(command.UserId);

        return await votes.TryCastAsync(command.UserId, command.VideoId, timeProvider.GetUtcNow(), cancellationToken)
            ? new CastVoteResponse(ClientMessages.Videos.VoteRecorded)
            : throw new BusinessRuleException(ClientMessages.Videos.AlreadyVoted);
    }
}
