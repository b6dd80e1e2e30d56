namespace Anb.WebApi.Security;

/// <summary>Headers that keep browsers and caches from misusing answers.</summary>
internal static class ResponseHeaders
{
    /// <summary>
    /// <c>X-Content-Type-Options: nosniff</c> on every answer. Set as the answer starts, so it survives
    /// the exception handler, which clears the headers of a failed request.
    /// </summary>
    public static IApplicationBuilder UseNoSniff(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(SetNoSniff, context.Response);
            return next(context);
        });

    /// <summary><c>Cache-Control: no-store</c>: the answer carries a secret (a token, a signed file) no cache may keep.</summary>
    public static RouteHandlerBuilder WithNoStore(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter((context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return next(context);
        });

    private static Task SetNoSniff(object response)
    {
        ((HttpResponse)response).Headers.XContentTypeOptions = "nosniff";
        return Task.CompletedTask;
    }
}
