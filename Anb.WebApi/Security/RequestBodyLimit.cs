using Anb.Application.Common.Messages;
using Anb.WebApi.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Security;

/// <summary>
/// Keeps request bodies small (<see cref="RequestBodyOptions"/>) on every route but those that set their
/// own limit (the upload). A declared length over the limit is refused before a byte is read; any other
/// body is read here, at most the limit, and handed on from memory, so a body that grows past the limit
/// while it arrives (chunked) gets the same 413 problem details, never a 500 or a reset. A body with a NUL
/// character (<see cref="NulCharacters"/>) is a 400.
/// </summary>
internal static class RequestBodyLimit
{
    /// <summary>Marks a route that reads its body itself under its own limit.</summary>
    public static RouteHandlerBuilder WithOwnBodyLimit(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(OwnLimit.Instance);

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var maxBytes = app.ApplicationServices.GetRequiredService<IOptions<RequestBodyOptions>>().Value.MaxBytes;
        return app.Use((context, next) =>
            context.GetEndpoint()?.Metadata.GetMetadata<OwnLimit>() is not null ? next(context) : LimitAsync(context, next, maxBytes));
    }

    private static async Task LimitAsync(HttpContext context, RequestDelegate next, int maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, maxBytes);
            return;
        }

        if (request.ContentLength > 0
            || (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true))
        {
            var body = new MemoryStream((int)(request.ContentLength ?? 0));
            if (!await TryBufferAsync(request.Body, body, maxBytes, context.RequestAborted))
            {
                await TooLargeAsync(context, maxBytes);
                return;
            }

            if (NulCharacters.InJson(body.GetBuffer().AsSpan(0, (int)body.Length)))
            {
                await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ClientMessages.Http.MalformedRequest);
                return;
            }

            body.Position = 0;
            request.Body = body;
        }

        await next(context);
    }

    private static async Task<bool> TryBufferAsync(Stream source, MemoryStream target, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (target.Length + read > maxBytes)
                {
                    return false;
                }

                target.Write(buffer, 0, read);
            }

            return true;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
    }

    private static ValueTask TooLargeAsync(HttpContext context, int maxBytes) =>
        ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ClientMessages.Http.BodyTooLarge(maxBytes));

    /// <summary>The metadata of <see cref="WithOwnBodyLimit"/>.</summary>
    internal sealed class OwnLimit
    {
        public static readonly OwnLimit Instance = new();
    }
}
