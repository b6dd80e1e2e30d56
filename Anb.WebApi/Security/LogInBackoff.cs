using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Security;

/// <summary>
/// Failed log-ins per account (by normalised email) on this instance. After the free failures each
/// failure blocks the account's log-in for a time that doubles up to a small cap, so guessing slows
/// down while the owner is never kept out for long; a success clears the account.
/// </summary>
internal sealed class LogInBackoff(IMemoryCache cache, IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly RateLimitOptions limits = options.Value;

    /// <summary>How long the account must wait before its next attempt, or null when it may try now.</summary>
    public TimeSpan? Blocked(string email)
    {
        if (!cache.TryGetValue(Key(email), out Failures? failures) || failures is null)
        {
            return null;
        }

        lock (failures)
        {
            var wait = failures.BlockedUntil - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    public void Failed(string email)
    {
        var failures = cache.GetOrCreate(Key(email), _ => new Failures())!;
        lock (failures)
        {
            failures.Count++;
            var beyond = failures.Count - limits.LogInFreeFailures;
            if (beyond >= 0)
            {
                var seconds = Math.Min(limits.LogInBackoffMaxSeconds, limits.LogInBackoffSeconds * Math.Pow(2, Math.Min(beyond, 30)));
                failures.BlockedUntil = time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
            }
        }

        cache.Set(Key(email), failures, TimeSpan.FromSeconds(limits.LogInFailuresForgottenAfterSeconds));
    }

    public void Succeeded(string email) => cache.Remove(Key(email));

    private static (Type, string) Key(string email) => (typeof(LogInBackoff), email);

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }
    }
}
