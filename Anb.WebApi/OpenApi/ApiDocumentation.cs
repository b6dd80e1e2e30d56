using Microsoft.AspNetCore.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// What the OpenAPI document (<c>/openapi/v1.json</c>, shown at <c>/docs</c>) says beyond what the
/// endpoints declare: the conventions, the bearer scheme and schemas that match the JSON on the wire.
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";
    public const string ProblemContentType = "application/problem+json";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>(DocumentName, options => options
            .AddSchemaTransformer<WireSchemaTransformer>()
            .AddOperationTransformer<BearerOperationTransformer>()
            .AddOperationTransformer<BodyLimitOperationTransformer>()
            .AddDocumentTransformer<ConventionsDocumentTransformer>());
}
