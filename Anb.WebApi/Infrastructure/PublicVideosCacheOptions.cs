using System.ComponentModel.DataAnnotations;

namespace Anb.WebApi.Infrastructure;

/// <summary>The public videos' output cache (section <c>PublicVideos</c>): answers to requests without a token only.</summary>
internal sealed class PublicVideosCacheOptions
{
    public const string SectionName = "PublicVideos";

    /// <summary>How old an answer to a request without a token may be; 0 leaves the endpoint without a cache.</summary>
    [Range(0, 60)]
    public int CacheSeconds { get; set; } = 2;
}
