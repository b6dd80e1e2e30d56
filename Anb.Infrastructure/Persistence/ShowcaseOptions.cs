namespace Anb.Infrastructure.Persistence;

/// <summary>How the public reads run (section <c>Showcase</c>).</summary>
public sealed class ShowcaseOptions
{
    public const string SectionName = "Showcase";

    /// <summary>Identical concurrent public reads share one query (<see cref="CoalescingShowcaseReader"/>).</summary>
    public bool CoalesceReads { get; set; } = true;
}
