using System.ComponentModel.DataAnnotations;

namespace Anb.Application.Videos.DeleteOrphanedOriginals;

/// <summary>The orphaned-originals sweep (section <c>Processing</c>), checked at start-up.</summary>
public sealed class OrphanedOriginalsOptions
{
    public const string SectionName = "Processing";

    /// <summary>
    /// How old an original without a row must be before it is deleted. An upload stores its original before it
    /// saves the row, so this must exceed the longest time between the two (seconds, even under load): an hour by default.
    /// </summary>
    [Range(10, 7 * 24 * 3600)]
    public int OrphanGraceSeconds { get; set; } = 3600;
}
