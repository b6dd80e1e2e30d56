using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Infrastructure.Common;
using Anb.WebApi.Json;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Infrastructure;

/// <summary>
/// The one place where failures become HTTP answers: the closed set of application exceptions map to
/// the contract's codes and messages; a dependency that is down (database, S3, SQS) is a 503 with
/// <c>Retry-After</c>; anything else is a 500 whose body says nothing about the cause.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger, IOptions<RateLimitOptions> limits) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail, extensions) = exception switch
        {
            RequestValidationException e => (StatusCodes.Status400BadRequest, e.Message, Errors(e)),
            BusinessRuleException e => (StatusCodes.Status400BadRequest, e.Message, null),
            AuthenticationFailedException e => (StatusCodes.Status401Unauthorized, e.Message, null),
            ForbiddenException e => (StatusCodes.Status403Forbidden, e.Message, null),
            NotFoundException e => (StatusCodes.Status404NotFound, e.Message, null),
            ServiceUnavailableException e => (StatusCodes.Status503ServiceUnavailable, e.Message, null),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (StatusCodes.Status415UnsupportedMediaType, ClientMessages.Http.JsonRequired, null),
            BadHttpRequestException e => (BadRequestStatus(e), ClientMessages.Http.MalformedRequest, null),
            _ when DependencyFailures.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, ClientMessages.Http.ServiceUnavailable, null),
            _ => (StatusCodes.Status500InternalServerError, ClientMessages.Http.InternalError, null),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogUnavailable(logger, (exception as ServiceUnavailableException)?.Cause ?? exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (exception is BadHttpRequestException)
        {
            LogBadRequest(logger, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        var retryAfter = status == StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(limits.Value.RetryAfterSeconds) : (TimeSpan?)null;
        await ProblemResponses.WriteAsync(httpContext, status, detail, extensions, retryAfter);
        return true;
    }

    // The Application names fields by property (FilePath); clients know them by their JSON names (file_path).
    private static Dictionary<string, object?>? Errors(RequestValidationException e) =>
        e.Errors.Count == 0
            ? null
            : new Dictionary<string, object?>
            {
                ["errors"] = e.Errors.ToDictionary(p => ApiJson.NamingPolicy.ConvertName(p.Key), p => p.Value, StringComparer.Ordinal),
            };

    private static int BadRequestStatus(BadHttpRequestException e) =>
        e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dependency is unavailable on {Method} {Path}; answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bad request on {Method} {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string reason);
}
