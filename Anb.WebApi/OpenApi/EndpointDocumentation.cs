using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// Endpoint metadata for the OpenAPI document: examples, error answers with their messages, parameters
/// and bodies the handler reads by hand. Each call adds an operation transformer to its endpoint only.
/// </summary>
internal static class EndpointDocumentation
{
    private const string Json = "application/json";
    private const string RetryAfter = "Retry-After";
    private const string RetryAfterDescription = "Seconds to wait before trying again.";

    /// <summary>Declares an error status (problem details) with what causes it and example messages.</summary>
    public static RouteHandlerBuilder ProducesError(
        this RouteHandlerBuilder builder, int status, string description, ProblemExample example, params ProblemExample[] more) =>
        builder.ProducesProblem(status).DescribeProblem(status, description, [example, .. more]);

    /// <inheritdoc cref="ProducesError(RouteHandlerBuilder, int, string, ProblemExample, ProblemExample[])"/>
    public static RouteGroupBuilder ProducesError(
        this RouteGroupBuilder builder, int status, string description, ProblemExample example, params ProblemExample[] more) =>
        builder.ProducesProblem(status).DescribeProblem(status, description, [example, .. more]);

    /// <summary>The 429 of a rate limit, with its <c>Retry-After</c>.</summary>
    public static RouteHandlerBuilder ProducesTooManyRequests(this RouteHandlerBuilder builder, string description) =>
        builder.ProducesError(StatusCodes.Status429TooManyRequests, description, ProblemExamples.TooManyRequests)
            .WithResponseHeader(StatusCodes.Status429TooManyRequests, RetryAfter, RetryAfterDescription);

    /// <summary>The 503 of a dependency down or a full instance, with its <c>Retry-After</c>.</summary>
    public static RouteHandlerBuilder ProducesServiceUnavailable(
        this RouteHandlerBuilder builder, string description, ProblemExample example, params ProblemExample[] more) =>
        builder.ProducesError(StatusCodes.Status503ServiceUnavailable, description, example, more)
            .WithResponseHeader(StatusCodes.Status503ServiceUnavailable, RetryAfter, RetryAfterDescription);

    /// <summary>A JSON request body example, written with the API's own JSON settings.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            Media(operation.RequestBody?.Content, Json).Example = Serialize(example, context.ApplicationServices);
            return Task.CompletedTask;
        });

    /// <summary>What a success answer means, with an example body.</summary>
    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int status, string description, object example) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            var response = Response(operation, status);
            response.Description = description;
            Media(response.Content, Json).Example = Serialize(example, context.ApplicationServices);
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, int status, string name, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var response = Response(operation, status);
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeParameter(this RouteHandlerBuilder builder, string name, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Parameter(operation, name).Description = description;
            return Task.CompletedTask;
        });

    /// <summary>A query parameter the handler reads as text and parses itself: its real type, default and bounds.</summary>
    public static RouteHandlerBuilder DescribeIntegerQuery(
        this RouteHandlerBuilder builder, string name, string description, int defaultValue, int minimum, int? maximum = null) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var parameter = Parameter(operation, name);
            parameter.Description = description;
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Default = defaultValue,
                Minimum = minimum.ToString(CultureInfo.InvariantCulture),
                Maximum = (maximum ?? int.MaxValue).ToString(CultureInfo.InvariantCulture),
            };
            return Task.CompletedTask;
        });

    public static RouteHandlerBuilder DescribeTextQuery(this RouteHandlerBuilder builder, string name, string description, int maxLength, string example) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var parameter = Parameter(operation, name);
            parameter.Description = description;
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength };
            parameter.Example = example;
            return Task.CompletedTask;
        });

    /// <summary>A required multipart/form-data body, for a handler that reads the request itself.</summary>
    public static RouteHandlerBuilder AcceptsMultipartForm(this RouteHandlerBuilder builder, string description, params FormField[] fields) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = fields.Select(f => f.Name).ToHashSet(),
                Properties = fields.ToDictionary(f => f.Name, f => (IOpenApiSchema)new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Format = f.IsFile ? "binary" : null,
                    MinLength = f.IsFile ? null : 1,
                    MaxLength = f.MaxLength,
                    Description = f.Description,
                    Examples = f.Example is null ? null : [f.Example],
                }),
            };
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = description,
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
            };
            return Task.CompletedTask;
        });

    /// <summary>The operation works without a token and uses a valid one when sent.</summary>
    public static RouteHandlerBuilder WithOptionalBearerToken(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            operation.Security = [new OpenApiSecurityRequirement(), BearerOperationTransformer.Requirement(context.Document)];
            return Task.CompletedTask;
        });

    private static TBuilder DescribeProblem<TBuilder>(this TBuilder builder, int status, string description, ProblemExample[] examples)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var response = Response(operation, status);
            response.Description = description;
            var media = Media(response.Content, ApiDocumentation.ProblemContentType);
            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            foreach (var example in examples)
            {
                media.Examples[example.Name] = new OpenApiExample { Summary = example.Name, Value = Problem(status, example) };
            }

            return Task.CompletedTask;
        });

    /// <summary>An example problem details body, as the API writes it.</summary>
    internal static JsonObject Problem(int status, ProblemExample example)
    {
        var problem = new JsonObject
        {
            ["type"] = $"https://tools.ietf.org/html/rfc9110#section-{Rfc9110Section(status)}",
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = example.Detail,
        };
        if (example.Errors is { Count: > 0 } errors)
        {
            problem["errors"] = new JsonObject(errors.Select(e =>
                KeyValuePair.Create<string, JsonNode?>(e.Key, new JsonArray([.. e.Value.Select(m => (JsonNode?)m)]))));
        }

        problem["trace_id"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        return problem;
    }

    // The sections of RFC 9110 the framework's default problem types point to (400 is 15.5.1, 500 is 15.6.1).
    private static string Rfc9110Section(int status) => status >= 500 ? $"15.6.{status - 499}" : $"15.5.{status - 399}";

    private static OpenApiResponse Response(OpenApiOperation operation, int status) =>
        operation.Responses is { } responses
        && responses.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var response)
        && response is OpenApiResponse concrete
            ? concrete
            : throw new InvalidOperationException($"The operation declares no {status} response.");

    private static OpenApiMediaType Media(IDictionary<string, OpenApiMediaType>? content, string mediaType) =>
        content is not null && content.TryGetValue(mediaType, out var media)
            ? media
            : throw new InvalidOperationException($"The operation has no {mediaType} content.");

    private static OpenApiParameter Parameter(OpenApiOperation operation, string name) =>
        operation.Parameters?.FirstOrDefault(p => p.Name == name) as OpenApiParameter
        ?? throw new InvalidOperationException($"The operation has no parameter '{name}'.");

    private static JsonNode? Serialize(object example, IServiceProvider services) =>
        JsonSerializer.SerializeToNode(example, example.GetType(), services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
}
