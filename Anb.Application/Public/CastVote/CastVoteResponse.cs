namespace Anb.Application.Public.CastVote;

public sealed record CastVoteResponse(string Message)
{
    public const string RecordedMessage = "Voto registrado exitosamente.";
}
