using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Storage;

/// <summary>Which object storage adapter runs (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Local = "Local";
    public const string S3 = "S3";

    [AllowedValues(Local, S3)]
    public string Provider { get; set; } = Local;
}
