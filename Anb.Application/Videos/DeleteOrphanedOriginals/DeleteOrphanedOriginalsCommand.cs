using Mediator;

namespace Anb.Application.Videos.DeleteOrphanedOriginals;

/// <summary>
/// Deletes stored originals that have no video row (an upload refused after its original was stored, whose own
/// delete failed too, or an API stopped in between), examining at most <paramref name="MaxObjects"/> keys from
/// the first after <paramref name="StartAfter"/>, so a run stays bounded however many originals there are.
/// </summary>
public sealed record DeleteOrphanedOriginalsCommand(string? StartAfter = null, int MaxObjects = 1000) : ICommand<DeleteOrphanedOriginalsResult>;
