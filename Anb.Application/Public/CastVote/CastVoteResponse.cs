namespace Anb.Application.Public.CastVote;

public sealed record CastVoteResponse(string Message);
