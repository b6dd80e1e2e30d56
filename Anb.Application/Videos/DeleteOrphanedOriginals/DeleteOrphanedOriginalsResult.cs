namespace Anb.Application.Videos.DeleteOrphanedOriginals;

/// <summary>What a run examined and deleted; <paramref name="ResumeAfter"/> is where the next run goes on, null when this one reached the end.</summary>
public sealed record DeleteOrphanedOriginalsResult(int Examined, int Deleted, string? ResumeAfter);
