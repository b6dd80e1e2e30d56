using System.Threading.RateLimiting;

namespace Anb.WebApi.Security;

/// <summary>
/// <see cref="RateLimiter.CreateChained"/> that is idle only when every one of its limiters is, and disposes
/// them when its partition is dropped (the framework's chain leaves them, and with them a window limiter's
/// replenishing timer).
/// </summary>
/// <remarks>
/// A partitioned limiter drops a partition idle for a few seconds. The framework's chain reports itself idle
/// as soon as its concurrency limiter is, so a player's hourly upload count was forgotten after a pause of
/// ten seconds.
/// </remarks>
internal sealed class OwningChainedRateLimiter(params RateLimiter[] limiters) : RateLimiter
{
    private readonly RateLimiter chain = CreateChained(limiters);

    public override TimeSpan? IdleDuration
    {
        get
        {
            TimeSpan? shortest = null;
            foreach (var limiter in limiters)
            {
                if (limiter.IdleDuration is not { } idle)
                {
                    return null;
                }

                shortest = shortest is { } known && known < idle ? known : idle;
            }

            return shortest;
        }
    }

    public override RateLimiterStatistics? GetStatistics() => chain.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => chain.AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        chain.AcquireAsync(permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAll();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        DisposeAll();
        return ValueTask.CompletedTask;
    }

    private void DisposeAll()
    {
        chain.Dispose();
        foreach (var limiter in limiters)
        {
            limiter.Dispose();
        }
    }
}
