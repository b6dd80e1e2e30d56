using System.Globalization;
using System.Net;
using Anb.Application.Common.Messages;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Security;

public static class LimitAssertions
{
    /// <summary>Asserts the contract's 429: problem details with its detail, and Retry-After in whole seconds within the bounds.</summary>
    public static Task<int> AssertTooManyRequestsAsync(this HttpResponseMessage response, int minSeconds = 1, int maxSeconds = 60) =>
        response.AssertRefusedAsync(HttpStatusCode.TooManyRequests, ClientMessages.Http.TooManyRequests, minSeconds, maxSeconds);

    public static async Task<int> AssertRefusedAsync(
        this HttpResponseMessage response, HttpStatusCode status, string detail, int minSeconds, int maxSeconds)
    {
        await response.AssertProblemAsync(status, detail);
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        var seconds = int.Parse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, minSeconds, maxSeconds);
        return seconds;
    }
}
