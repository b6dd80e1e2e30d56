using System.ComponentModel.DataAnnotations;

namespace Anb.WebApi.Infrastructure;

/// <summary>The rankings' output cache (section <c>Rankings</c>).</summary>
internal sealed class RankingsCacheOptions
{
    public const string SectionName = "Rankings";

    /// <summary>How old a cached rankings answer may be (the contract allows 60 s); 0 leaves the endpoint without a cache.</summary>
    [Range(0, 60)]
    public int CacheSeconds { get; set; } = 60;
}
