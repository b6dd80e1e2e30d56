using System.ComponentModel.DataAnnotations;

namespace Anb.WebApi.Infrastructure;

/// <summary>
/// How old a public list's cached answer may be, in seconds (at most 60); 0 leaves the list without a cache. Only
/// answers to requests without a token are cached (see <c>PublicEndpoints.CacheAnonymousPages</c>).
/// </summary>
internal abstract class ShowcaseCacheOptions(int defaultSeconds)
{
    [Range(0, 60)]
    public int CacheSeconds { get; set; } = defaultSeconds;
}

/// <summary>The rankings' output cache (section <c>Rankings</c>; the contract allows 60 s).</summary>
internal sealed class RankingsCacheOptions() : ShowcaseCacheOptions(60)
{
    public const string SectionName = "Rankings";
}

/// <summary>The public videos' output cache (section <c>PublicVideos</c>): answers a few seconds old at most.</summary>
internal sealed class PublicVideosCacheOptions() : ShowcaseCacheOptions(2)
{
    public const string SectionName = "PublicVideos";
}
