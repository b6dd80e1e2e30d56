using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Anb.WebApi.Security;

/// <summary>
/// Which peers may say, with <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, who the client is and how
/// it connected (section <c>ForwardedHeaders</c>): the load balancer's networks (the VPC's range on AWS),
/// loopback locally. From any other peer the headers are ignored, so a client cannot choose its own IP.
/// </summary>
internal sealed class TrustedProxyOptions : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Trusted proxies' networks in CIDR notation, separated by commas.</summary>
    public string KnownNetworks { get; set; } = "127.0.0.0/8,::1/128";

    /// <summary>How many proxies in a row are trusted to append to <c>X-Forwarded-For</c> (the load balancer alone: 1).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<IPNetwork> ParseNetworks() =>
        KnownNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => IPNetwork.Parse(n));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        KnownNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(n => !IPNetwork.TryParse(n, out _))
            .Select(n => new ValidationResult($"'{n}' is not a network in CIDR notation.", [nameof(KnownNetworks)]))
            .ToList();
}
