namespace Anb.Application.Videos.UploadVideo;

/// <summary>The upload rules of the contract; configurable, defaults as in API.md.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Upload";

    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    public int MinDurationSeconds { get; set; } = 20;

    public int MaxDurationSeconds { get; set; } = 60;

    /// <summary>The shorter side must reach this (height for landscape, width for portrait).</summary>
    public int MinShortSide { get; set; } = 1080;

    /// <summary>Where request bodies are spooled before they are checked; empty means the system temp folder.</summary>
    public string TempPath { get; set; } = string.Empty;
}
