namespace Anb.Infrastructure.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Local</c> (files under a folder, links served by the API) or <c>S3</c>.</summary>
    public string Provider { get; set; } = StorageProviders.Local;
}
