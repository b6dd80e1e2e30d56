namespace Anb.Infrastructure.Queue;

/// <summary>Delay before attempt n+1: base x 4^(n-1) (5 s, 20 s, 80 s ... with the default base).</summary>
public static class RetryBackoff
{
    public static TimeSpan After(int failedAttempts, int baseDelaySeconds) =>
        TimeSpan.FromSeconds(baseDelaySeconds * Math.Pow(4, Math.Max(0, failedAttempts - 1)));
}
