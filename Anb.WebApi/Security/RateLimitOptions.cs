using System.ComponentModel.DataAnnotations;

namespace Anb.WebApi.Security;

/// <summary>
/// Abuse limits of one API instance (section <c>RateLimits</c>); each instance counts on its own. A
/// limited request gets 429 with <c>Retry-After</c>; a full instance answers uploads 503.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Sign-ups per client IP per minute.</summary>
    [Range(1, int.MaxValue)]
    public int SignUpsPerMinute { get; set; } = 10;

    /// <summary>Log-in attempts per client IP per minute.</summary>
    [Range(1, int.MaxValue)]
    public int LogInsPerMinute { get; set; } = 10;

    /// <summary>Failed log-ins of one account that cost nothing; each further failure blocks the account's log-in for a while.</summary>
    [Range(1, int.MaxValue)]
    public int LogInFreeFailures { get; set; } = 5;

    /// <summary>The first block after the free failures; it doubles with each further failure.</summary>
    [Range(1, 3600)]
    public int LogInBackoffSeconds { get; set; } = 1;

    /// <summary>The longest block: how long an attacker who knows an email can keep its owner out at a time.</summary>
    [Range(1, 3600)]
    public int LogInBackoffMaxSeconds { get; set; } = 30;

    /// <summary>An account's failures are forgotten this long after its last one (and at once on a successful log-in).</summary>
    [Range(1, 86400)]
    public int LogInFailuresForgottenAfterSeconds { get; set; } = 900;

    /// <summary>Uploads one player may have in flight at once.</summary>
    [Range(1, int.MaxValue)]
    public int UploadsInFlightPerUser { get; set; } = 2;

    /// <summary>Uploads one player may start per hour.</summary>
    [Range(1, int.MaxValue)]
    public int UploadsPerUserPerHour { get; set; } = 20;

    /// <summary>Uploads this instance spools at once, whoever sends them; beyond it, 503.</summary>
    [Range(1, int.MaxValue)]
    public int UploadsInFlightPerInstance { get; set; } = 16;

    /// <summary>Votes per player per minute.</summary>
    [Range(1, int.MaxValue)]
    public int VotesPerUserPerMinute { get; set; } = 30;

    /// <summary>
    /// The <c>Retry-After</c> of answers with no window to wait for: too many uploads in flight (429 per
    /// player, 503 per instance) and a dependency down (503).
    /// </summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;
}
