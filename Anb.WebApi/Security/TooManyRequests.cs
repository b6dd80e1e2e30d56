using Anb.Application.Common.Messages;
using Anb.WebApi.Infrastructure;

namespace Anb.WebApi.Security;

/// <summary>The answer of a request a limit refused: 429 problem details with the contract's detail and <c>Retry-After</c>.</summary>
internal static class TooManyRequests
{
    public static ValueTask WriteAsync(HttpContext context, TimeSpan retryAfter) =>
        ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, ClientMessages.Http.TooManyRequests, retryAfter: retryAfter);
}
