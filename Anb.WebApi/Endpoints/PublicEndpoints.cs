using System.Security.Claims;
using Anb.Application.Common.Messages;
using Anb.Application.Public.CastVote;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.WebApi.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Endpoints;

internal static class PublicEndpoints
{
    public static IEndpointRouteBuilder MapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/public").WithTags("Public showcase");
        group.MapGet("/videos", ListVideos)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/videos/{video_id:guid}/vote", Vote)
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        var rankings = group.MapGet("/rankings", Rankings)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        // Rankings may be up to Rankings:CacheSeconds old (at most 60); 0 leaves the endpoint without a cache.
        var cacheSeconds = app.ServiceProvider.GetRequiredService<IOptions<RankingsCacheOptions>>().Value.CacheSeconds;
        if (cacheSeconds > 0)
        {
            rankings.CacheOutput(policy => policy.SetVaryByQuery("city", "limit", "offset").Expire(TimeSpan.FromSeconds(cacheSeconds)));
        }

        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<PublicVideoItem>>, ProblemHttpResult>> ListVideos(
        string? limit, string? offset, string? city, HttpContext context, IMediator mediator, CancellationToken ct)
    {
        var (viewerId, rejected) = await context.GetViewerAsync();
        if (rejected)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: ClientMessages.Http.Unauthenticated);
        }

        var query = new ListPublicVideosQuery(
            QueryParameters.ParseInt(limit, ListPublicVideosQuery.DefaultLimit), QueryParameters.ParseInt(offset, 0), city, viewerId);
        return TypedResults.Ok(await mediator.Send(query, ct));
    }

    private static async Task<Ok<CastVoteResponse>> Vote(
        [FromRoute(Name = "video_id")] Guid videoId, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new CastVoteCommand(user.GetUserId(), videoId), ct));

    private static async Task<Ok<IReadOnlyList<RankingEntry>>> Rankings(
        string? city, string? limit, string? offset, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new GetRankingsQuery(city, QueryParameters.ParseInt(limit, GetRankingsQuery.DefaultLimit), QueryParameters.ParseInt(offset, 0)), ct));
}
