using System.Globalization;
using Anb.Application.Common.Messages;
using Anb.WebApi.Infrastructure;

namespace Anb.WebApi.Security;

/// <summary>The answers of a refused request: problem details and <c>Retry-After</c> in whole seconds.</summary>
internal static class TooManyRequests
{
    public static ValueTask WriteAsync(HttpContext context, TimeSpan retryAfter) =>
        WriteAsync(context, StatusCodes.Status429TooManyRequests, ClientMessages.Http.TooManyRequests, retryAfter);

    public static ValueTask WriteAsync(HttpContext context, int status, string detail, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ProblemResponses.WriteAsync(context, status, detail);
    }
}
