using Anb.Application.Common.Messages;

namespace Anb.WebApi.Infrastructure;

/// <summary>Writes RFC 9457 problem details with the contract's <c>detail</c> message.</summary>
internal static class ProblemResponses
{
    /// <summary>Gives the framework's own answers (404, 405, 415...) a human <c>detail</c> too.</summary>
    public static void AddDefaultDetail(ProblemDetailsContext context) =>
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => ClientMessages.Http.RouteNotFound,
            StatusCodes.Status405MethodNotAllowed => ClientMessages.Http.MethodNotAllowed,
            StatusCodes.Status415UnsupportedMediaType => ClientMessages.Http.JsonRequired,
            StatusCodes.Status401Unauthorized => ClientMessages.Http.Unauthenticated,
            >= 500 => ClientMessages.Http.InternalError,
            _ => ClientMessages.Http.MalformedRequest,
        };

    /// <param name="retryAfter">When set (429, 503), sent as <c>Retry-After</c> in whole seconds, at least 1.</param>
    public static async ValueTask WriteAsync(
        HttpContext context,
        int status,
        string detail,
        IDictionary<string, object?>? extensions = null,
        TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
