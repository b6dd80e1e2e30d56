namespace Anb.Application.Videos.RecoverStaleVideos;

public sealed record RecoverStaleVideosResult(int Requeued, int Failed);
