using System.Text.Json.Nodes;
using Anb.Application.Common.Messages;
using Anb.Application.Public;
using Anb.Application.Videos.ProcessVideo;
using Anb.WebApi.Infrastructure;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>The document's title and conventions, the bearer scheme, the tags and the full problem details shape.</summary>
internal sealed class ConventionsDocumentTransformer(IOptions<ProcessingOptions> processing, IOptions<RequestBodyOptions> body) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ANB Rising Stars API",
            Version = "1",
            Description = Conventions(processing.Value.MaxAttempts, body.Value.MaxBytes),
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiDocumentation.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The access_token of POST /api/auth/login.",
        };

        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Auth", Description = "Sign up and log in (the token identifies the player everywhere else)." },
            new() { Name = "My videos", Description = "A player's own uploads: upload, list, detail, delete. All need the token." },
            new() { Name = "Public showcase", Description = "Processed videos open to everyone, votes and player rankings." },
        };

        if (document.Components.Schemas is { } schemas && schemas.TryGetValue("ProblemDetails", out var schema) && schema is OpenApiSchema problem)
        {
            DescribeProblem(problem);
        }

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            SortResponses(operation);
        }

        return Task.CompletedTask;
    }

    /// <summary>Lists the answers by status code (the group's 401 is otherwise first).</summary>
    private static void SortResponses(OpenApiOperation operation)
    {
        if (operation.Responses is not { Count: > 1 } responses)
        {
            return;
        }

        var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in sorted)
        {
            responses.Add(status, response);
        }
    }

    /// <summary>As <see cref="ProblemResponses"/> writes it: always status, title and detail; errors on validation failures.</summary>
    private static void DescribeProblem(OpenApiSchema problem)
    {
        problem.Description = "RFC 9457 problem details; `detail` holds the message for people (Spanish).";
        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties.Remove("instance");
        problem.Properties["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A link to the HTTP status' definition." };
        problem.Properties["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The HTTP status' name." };
        problem.Properties["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." };
        problem.Properties["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong, in Spanish; exact texts are part of the contract." };
        problem.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Validation failures only: every message by field (snake_case); detail repeats the first one.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            Examples = [new JsonObject { ["limit"] = new JsonArray(ClientMessages.Queries.InvalidParameter) }],
        };
        problem.Properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifies the request in the server's logs." };
        problem.Required = new HashSet<string> { "status", "title", "detail" };
    }

    private static string Conventions(int maxAttempts, int maxBodyBytes)
    {
        var notFound = ClientMessages.Http.RouteNotFound;
        var wrongMethod = ClientMessages.Http.MethodNotAllowed;
        return $$"""
            The REST API of ANB Rising Stars: players sign up, upload clips of their plays, a worker turns each
            clip into the ANB format, and the public browses and votes for the processed clips.

            **Conventions**
            - JSON bodies use snake_case field names. Times are UTC ISO-8601 with a `Z` (`2026-03-10T14:30:00Z`).
            - Log in with `POST /api/auth/login` and send `Authorization: Bearer <access_token>` to the routes that
              need it (marked with a lock). `GET /api/public/videos` takes the token optionally; a token that is
              sent but invalid is refused with 401 there too.
            - Every error is problem details (`application/problem+json`) with `type`, `title`, `status`,
              `detail` (the message, in Spanish, exact) and `trace_id`; validation failures add `errors`
              (field -> messages). Each operation lists its statuses with example messages. Any route can
              also answer 404 `{{notFound}}` (unknown route, or an id that is not a UUID),
              405 `{{wrongMethod}}` (wrong method), 413 `{{ClientMessages.Http.BodyTooLarge(maxBodyBytes)}}`
              (a request body over {{maxBodyBytes / 1024}} KB on any route but the upload, which has its own limit), 503 `{{ClientMessages.Http.ServiceUnavailable}}` with
              `Retry-After` (the database or storage is unreachable; try again later) and 500
              `{{ClientMessages.Http.InternalError}}` (an unexpected failure; never details of it).
            - Download links (`original_url`, `processed_url`) expire (15 minutes by default): read the video
              again for a fresh one.

            **Processing.** An upload answers as soon as the original is stored and the video recorded (a queue
            out of reach at that moment does not refuse it: the worker queues it shortly after); it never waits. The worker then makes the ANB version (an H.264 MP4 without audio: a 2.5 s ANB intro, the
            first 30 s of the clip fitted into 1280x720 with black bars, never stretched or cropped, under the
            ANB logo, and a 2.5 s ANB outro) and the status moves `uploaded` -> `processing` -> `processed`
            (public, open for votes). A clip that cannot be processed is retried with growing delays, up to
            {{maxAttempts}} attempts, and then ends `failed` with a `failure_reason`.

            **Also served**: `GET /health` (liveness, `{"status":"healthy"}`), `GET /health/ready` (database and
            storage reachable: 200 or 503), this document at `/openapi/v1.json` and its interactive view at
            `/docs`. The same in prose, with every message: `docs/api.md` in the repository.
            """;
    }
}
