using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Anb.WebApi.Endpoints;

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/signup", SignUp)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/login", LogIn)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<Created<SignUpResponse>> SignUp(SignUpCommand command, IMediator mediator, CancellationToken ct) =>
        TypedResults.Created((string?)null, await mediator.Send(command, ct));

    private static async Task<Ok<LogInResponse>> LogIn(LogInCommand command, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(command, ct));
}
