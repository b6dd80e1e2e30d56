using Mediator;

namespace Anb.Application.Public.CastVote;

public sealed record CastVoteCommand(Guid UserId, Guid VideoId) : ICommand<CastVoteResponse>;
