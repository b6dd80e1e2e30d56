using Anb.Application.Common.Messages;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// The 413 of <see cref="RequestBodyLimit"/> on every operation with a JSON body, with the configured
/// limit in its example (the upload reads its body under its own limit and answers 400 past it).
/// </summary>
internal sealed class BodyLimitOperationTransformer(IOptions<RequestBodyOptions> options) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content?.ContainsKey("application/json") != true || operation.Responses is not { } responses)
        {
            return Task.CompletedTask;
        }

        var maxBytes = options.Value.MaxBytes;
        var example = new ProblemExample("Body over the limit", ClientMessages.Http.BodyTooLarge(maxBytes));
        var schema = responses.Values
            .Select(r => r.Content is { } content && content.TryGetValue(ApiDocumentation.ProblemContentType, out var media) ? media.Schema : null)
            .FirstOrDefault(s => s is not null);
        responses[StatusCodes.Status413PayloadTooLarge.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = $"The body is larger than {maxBytes / 1024} KB; it is not read.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ApiDocumentation.ProblemContentType] = new()
                {
                    Schema = schema,
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        [example.Name] = new OpenApiExample { Summary = example.Name, Value = EndpointDocumentation.Problem(StatusCodes.Status413PayloadTooLarge, example) },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
