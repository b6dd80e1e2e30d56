using Anb.Application.Common.Messages;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// The document routes (<c>/openapi/{documentName}.json</c>, <c>/docs/{documentName}</c>) answer a name
/// other than <see cref="ApiDocumentation.DocumentName"/> with the API's 404 problem details, instead of
/// their own plain text or a page for a document that does not exist.
/// </summary>
internal static class DocumentNames
{
    public static TBuilder OnlyKnownDocument<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue("documentName") is string name
            && !string.Equals(name, ApiDocumentation.DocumentName, StringComparison.OrdinalIgnoreCase)
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: ClientMessages.Http.RouteNotFound)
                : await next(context));
}
