using System.ComponentModel.DataAnnotations;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>The upload rules of the contract; configurable (section <c>Upload</c>), checked at start-up.</summary>
public sealed class UploadOptions : IValidatableObject
{
    public const string SectionName = "Upload";

    [Range(1L, 10L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    [Range(1, 3600)]
    public int MinDurationSeconds { get; set; } = 20;

    [Range(1, 3600)]
    public int MaxDurationSeconds { get; set; } = 60;

    /// <summary>The shorter side must reach this (height for landscape, width for portrait).</summary>
    [Range(1, 8192)]
    public int MinShortSide { get; set; } = 1080;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinDurationSeconds > MaxDurationSeconds)
        {
            yield return new ValidationResult(
                "Upload:MinDurationSeconds must not exceed Upload:MaxDurationSeconds.", [nameof(MinDurationSeconds), nameof(MaxDurationSeconds)]);
        }
    }
}
