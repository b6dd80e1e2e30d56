namespace Anb.Infrastructure.Media;

/// <summary>Where the worker keeps its per-video scratch folders (<c>Processing:TempPath</c>).</summary>
public sealed class ScratchOptions
{
    public const string SectionName = "Processing";

    /// <summary>Empty means a folder under the system temp folder.</summary>
    public string TempPath { get; set; } = string.Empty;

    public string ResolveRoot() =>
        string.IsNullOrWhiteSpace(TempPath) ? Path.Combine(Path.GetTempPath(), "anb-worker") : TempPath;
}
