using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Storage;

public sealed class LocalStorageOptions
{
    public const string SectionName = "Storage:Local";

    /// <summary>Folder that holds the objects; keys become relative paths under it.</summary>
    [Required]
    public string RootPath { get; set; } = string.Empty;

    /// <summary>Base address of the API that serves signed download links (the <c>/files</c> route).</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>HMAC key for download links; empty means a random key for the life of the process.</summary>
    public string SigningKey { get; set; } = string.Empty;

    [Range(10, 7 * 24 * 3600)]
    public int UrlLifetimeSeconds { get; set; } = 900;
}
