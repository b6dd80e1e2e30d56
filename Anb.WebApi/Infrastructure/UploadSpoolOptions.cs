namespace Anb.WebApi.Infrastructure;

/// <summary>Where the API spools request bodies before they are checked (<c>Upload:TempPath</c>).</summary>
internal sealed class UploadSpoolOptions
{
    public const string SectionName = "Upload";

    /// <summary>Empty means a folder under the system temp folder.</summary>
    public string TempPath { get; set; } = string.Empty;

    public string ResolveFolder() =>
        string.IsNullOrWhiteSpace(TempPath) ? Path.Combine(Path.GetTempPath(), "anb-uploads") : TempPath;
}
