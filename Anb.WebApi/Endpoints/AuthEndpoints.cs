using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Messages;
using Anb.WebApi.OpenApi;
using Anb.WebApi.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Endpoints;

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/signup", SignUp)
            .RequireRateLimiting(ApiRateLimits.SignUp)
            .WithName("SignUp")
            .WithSummary("Sign up a player")
            .WithDescription(
                "Creates a player account. Every field is required; the email must be well-formed and not registered yet " +
                "(compared ignoring case); password1 needs at least 8 characters and must equal password2.")
            .WithRequestExample(Examples.SignUp)
            .WithResponseExample(
                StatusCodes.Status201Created, "The player was created.", new SignUpResponse(ClientMessages.Auth.UserCreated, Examples.UserId))
            .ProducesError(
                StatusCodes.Status400BadRequest,
                "A field is missing, too long or malformed, the passwords differ, the email is already registered, or the body is not JSON.",
                ProblemExamples.SignUpValidation("Missing fields", new SignUpCommand(null, null, null, null, null, null, null)),
                ProblemExamples.SignUpValidation("Malformed email", Examples.SignUp with { Email = "ana.gomez" }),
                ProblemExamples.SignUpValidation("Short password", Examples.SignUp with { Password1 = "corta", Password2 = "corta" }),
                ProblemExamples.SignUpValidation("Passwords differ", Examples.SignUp with { Password2 = "otra-clave" }),
                new("Email already registered", ClientMessages.Auth.DuplicateEmail),
                ProblemExamples.Malformed)
            .ProducesError(StatusCodes.Status415UnsupportedMediaType, "The body was not sent as application/json.", ProblemExamples.NotJson)
            .ProducesTooManyRequests($"More than {limits.SignUpsPerMinute} sign-ups from this IP address within a minute.");
        group.MapPost("/login", LogIn)
            .RequireRateLimiting(ApiRateLimits.LogIn)
            .WithLogInBackoff()
            .WithNoStore()
            .WithName("LogIn")
            .WithSummary("Log in")
            .WithDescription(
                "Exchanges email and password for a bearer token. An unknown email and a wrong password get the same answer. " +
                "The answer is sent with `Cache-Control: no-store`.")
            .WithRequestExample(Examples.LogIn)
            .WithResponseExample(StatusCodes.Status200OK, "The token to send as `Authorization: Bearer <access_token>`.", Examples.Token)
            .ProducesError(StatusCodes.Status400BadRequest, "The body is not JSON.", ProblemExamples.Malformed)
            .ProducesError(
                StatusCodes.Status401Unauthorized,
                "Unknown email, wrong password, or a field missing.",
                new("Wrong credentials", ClientMessages.Auth.InvalidCredentials))
            .ProducesError(StatusCodes.Status415UnsupportedMediaType, "The body was not sent as application/json.", ProblemExamples.NotJson)
            .ProducesTooManyRequests(
                $"More than {limits.LogInsPerMinute} log-ins from this IP address within a minute, or the account is blocked for a " +
                $"while after {limits.LogInFreeFailures} failed log-ins in a row (each further failure doubles the wait, up to " +
                $"{limits.LogInBackoffMaxSeconds} s; a success clears it).");
        return app;
    }

    private static async Task<Created<SignUpResponse>> SignUp(SignUpCommand command, IMediator mediator, CancellationToken ct) =>
        TypedResults.Created((string?)null, await mediator.Send(command, ct));

    private static async Task<Ok<LogInResponse>> LogIn(LogInCommand command, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(command, ct));
}
