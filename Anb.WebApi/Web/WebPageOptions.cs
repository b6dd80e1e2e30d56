using System.ComponentModel.DataAnnotations;

namespace Anb.WebApi.Web;

/// <summary>The web page served at <c>/</c> (section <c>WebPage</c>).</summary>
internal sealed class WebPageOptions : IValidatableObject
{
    public const string SectionName = "WebPage";

    /// <summary>
    /// Origins besides the API's own that the page may show posters and videos from (its CSP's
    /// <c>img-src</c> and <c>media-src</c>), separated by spaces: where signed file links point when that is
    /// not the API (the S3 bucket's <c>https://bucket.s3.region.amazonaws.com</c>, a local
    /// <c>Storage:Local:PublicBaseUrl</c> on another host).
    /// </summary>
    public string MediaSources { get; set; } = "";

    public IEnumerable<string> ParseMediaSources() =>
        MediaSources.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ParseMediaSources()
            .Where(s => !Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.PathAndQuery != "/" || s.Contains(';', StringComparison.Ordinal) || s.Contains(',', StringComparison.Ordinal))
            .Select(s => new ValidationResult($"'{s}' is not an http(s) origin.", [nameof(MediaSources)]))
            .ToList();
}
