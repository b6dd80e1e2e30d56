using System.ComponentModel.DataAnnotations;

namespace Anb.WebApi.Security;

/// <summary>How large a request body the API reads (section <c>RequestBody</c>); the upload has its own limit, <c>Upload:MaxBytes</c>.</summary>
internal sealed class RequestBodyOptions
{
    public const string SectionName = "RequestBody";

    /// <summary>The largest body of every other route (the JSON ones; the rest take none): beyond it, 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 64 * 1024;
}
