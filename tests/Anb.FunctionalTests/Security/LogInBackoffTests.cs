using Anb.WebApi.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Anb.FunctionalTests.Security;

/// <summary>The back-off's arithmetic on a fake clock: free failures, doubling, the cap, a success.</summary>
public sealed class LogInBackoffTests
{
    private const string Email = "ana@example.com";
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly LogInBackoff backoff;

    public LogInBackoffTests() =>
        backoff = new LogInBackoff(
            new MemoryCache(new MemoryCacheOptions()),
            Options.Create(new RateLimitOptions
            {
                LogInFreeFailures = 3,
                LogInBackoffSeconds = 2,
                LogInBackoffMaxSeconds = 10,
                LogInFailuresForgottenAfterSeconds = 900,
            }),
            time);

    [Fact]
    public void Failures_BeyondTheFreeOnes_BlockForADoublingWait_UpToTheCap()
    {
        var waits = new List<double?>();
        for (var i = 0; i < 6; i++)
        {
            backoff.Failed(Email);
            waits.Add(backoff.Blocked(Email)?.TotalSeconds);
            time.Advance(backoff.Blocked(Email) ?? TimeSpan.Zero);
        }

        Assert.Equal([null, null, 2, 4, 8, 10], waits);
        Assert.Null(backoff.Blocked(Email));
        Assert.Null(backoff.Blocked("luis@example.com"));
    }

    [Fact]
    public void Success_ClearsTheFailures()
    {
        for (var i = 0; i < 3; i++)
        {
            backoff.Failed(Email);
        }

        backoff.Succeeded(Email);
        backoff.Failed(Email);

        Assert.Null(backoff.Blocked(Email));
    }
}
