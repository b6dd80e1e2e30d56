namespace Anb.Application.Public.GetRankings;

public sealed record RankingEntry(int Position, string Username, string City, int Votes);
