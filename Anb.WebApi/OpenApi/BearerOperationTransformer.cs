using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>Marks the operations behind <c>RequireAuthorization()</c> as needing the bearer token.</summary>
internal sealed class BearerOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (operation.Security is not { Count: > 0 }
            && metadata.OfType<IAuthorizeData>().Any()
            && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [Requirement(context.Document)];
        }

        return Task.CompletedTask;
    }

    public static OpenApiSecurityRequirement Requirement(OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(ApiDocumentation.BearerScheme, document)] = [] };
}
