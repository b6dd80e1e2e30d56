using System.Threading.RateLimiting;
using Anb.WebApi.Security;


namespace Anb.FunctionalTests.Security;

/// <summary>A player's upload limiter (in flight + per hour) must not look idle while its hourly window counts uploads.</summary>
public sealed class OwningChainedRateLimiterTests
{
    [Fact]
    public void IdleDuration_AfterAnUploadEnded_IsNullWhileTheWindowCountsIt()
    {
        using var inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var perHour = Window();
        using var chain = new OwningChainedRateLimiter(inFlight, perHour);

        using (var lease = chain.AttemptAcquire(1))
        {
            Assert.True(lease.IsAcquired);
        }

        Assert.NotNull(inFlight.IdleDuration);
        Assert.Null(perHour.IdleDuration);
        Assert.Null(chain.IdleDuration);
    }

    [Fact]
    public void IdleDuration_WhenEveryLimiterIsIdle_IsTheShortest()
    {
        using var inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var perHour = Window();
        using var chain = new OwningChainedRateLimiter(inFlight, perHour);

        var idle = chain.IdleDuration;

        Assert.NotNull(idle);
        Assert.True(idle <= inFlight.IdleDuration && idle <= perHour.IdleDuration);
    }

    private static FixedWindowRateLimiter Window() => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = 3,
        Window = TimeSpan.FromHours(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
