using System.Security.Claims;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Telemetry;
using Anb.Application.Public.CastVote;
using Anb.Application.Public.Common;
using Anb.Application.Public.GetPublicVideo;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.WebApi.Infrastructure;
using Anb.WebApi.OpenApi;
using Anb.WebApi.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Endpoints;

internal static class PublicEndpoints
{
    private const string CityFilter = "Only players (or videos of players) from this city, compared ignoring case, accents and extra spaces.";

    public static IEndpointRouteBuilder MapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var rankingsSeconds = app.ServiceProvider.GetRequiredService<IOptions<RankingsCacheOptions>>().Value.CacheSeconds;
        var videosSeconds = app.ServiceProvider.GetRequiredService<IOptions<PublicVideosCacheOptions>>().Value.CacheSeconds;
        var group = app.MapGroup("/api/public").WithTags("Public showcase");
        group.MapGet("/videos", ListVideos)
            .WithName("ListPublicVideos")
            .WithSummary("Public videos")
            .WithDescription(
                "Processed videos, the most voted first, then the most recently processed. Works without a token; with a valid one " +
                "each item also says whether that player has voted for it. Without a token, answers may be a few seconds old " +
                "(2 s by default); with one they are always fresh.")
            .WithOptionalBearerToken()
            .CacheAnonymousPages(videosSeconds)
            .DescribeShowcasePage("videos", ListPublicVideosQuery.DefaultLimit)
            .WithResponseExample(StatusCodes.Status200OK, "One page of videos (an empty array past the end).", Examples.PublicVideos)
            .ProducesError(
                StatusCodes.Status401Unauthorized,
                "A token was sent but is invalid or expired (send none to browse anonymously).",
                ProblemExamples.Unauthenticated);
        group.MapGet("/videos/{video_id:guid}", GetVideo)
            .WithName("GetPublicVideo")
            .WithSummary("One public video")
            .WithDescription(
                "A processed video, the same item as in the public list, so a clip's own page and its shared link work alone. Works " +
                "without a token; with a valid one it also says whether that player has voted for it.")
            .WithOptionalBearerToken()
            .DescribeParameter("video_id", "Id of a processed video.")
            .WithResponseExample(StatusCodes.Status200OK, "The video.", Examples.PublicVideos[0])
            .ProducesError(
                StatusCodes.Status401Unauthorized,
                "A token was sent but is invalid or expired (send none to browse anonymously).",
                ProblemExamples.Unauthenticated)
            .ProducesError(
                StatusCodes.Status404NotFound,
                "No public video has that id: unknown, deleted, not processed yet, or failed.",
                ProblemExamples.VideoNotFound);
        group.MapPost("/videos/{video_id:guid}/vote", Vote)
            .RequireAuthorization()
            .RequireRateLimiting(ApiRateLimits.Vote)
            .WithName("Vote")
            .WithSummary("Vote for a video")
            .WithDescription(
                "One vote per player per video, for processed videos of other players; no body. Concurrent duplicates count once.")
            .DescribeParameter("video_id", "Id of a processed video.")
            .WithResponseExample(StatusCodes.Status200OK, "The vote was counted.", new CastVoteResponse(ClientMessages.Videos.VoteRecorded))
            .ProducesError(
                StatusCodes.Status400BadRequest,
                "The player already voted for it, the video is not processed (not public yet, or failed), or it is the player's own.",
                new("Already voted", ClientMessages.Videos.AlreadyVoted),
                ProblemExamples.NotOpenForVoting,
                ProblemExamples.OwnVideo)
            .ProducesError(StatusCodes.Status401Unauthorized, "No token, or one that is invalid or expired.", ProblemExamples.Unauthenticated)
            .ProducesError(StatusCodes.Status404NotFound, "No video has that id.", ProblemExamples.VideoNotFound)
            .ProducesTooManyRequests($"The player voted more than {limits.VotesPerUserPerMinute} times within a minute.");
        group.MapGet("/rankings", Rankings)
            .WithName("Rankings")
            .WithSummary("Player rankings")
            .WithDescription(
                "Every player (a user with at least one processed video; other accounts are not listed), by the total votes of " +
                "their videos, most first (ties: earlier sign-up first). Answers may be up to 60 s old.")
            .DescribeShowcasePage("players", GetRankingsQuery.DefaultLimit)
            .WithResponseExample(StatusCodes.Status200OK, "One page of the rankings (an empty array past the end).", Examples.Rankings)
            .CacheAnonymousPages(rankingsSeconds);
        return app;
    }

    /// <summary>
    /// Keeps each answer to a request without a token for <paramref name="seconds"/> per <c>city</c>, <c>limit</c> and
    /// <c>offset</c> (0: no cache). The answer is kept as sent, whatever its items hold. The output cache's default policy
    /// never serves or stores a request that carries a token, so a player always gets a fresh answer of their own.
    /// </summary>
    private static RouteHandlerBuilder CacheAnonymousPages(this RouteHandlerBuilder builder, int seconds) =>
        seconds > 0
            ? builder.CacheOutput(policy => policy.SetVaryByQuery("city", "limit", "offset").Expire(TimeSpan.FromSeconds(seconds)))
            : builder;

    /// <summary>The paging both public lists share (<see cref="ShowcasePageRules"/>) and its 400.</summary>
    private static RouteHandlerBuilder DescribeShowcasePage(this RouteHandlerBuilder builder, string items, int defaultLimit) =>
        builder
            .DescribeIntegerQuery("limit", $"How many {items} to return.", defaultLimit, 1, ShowcasePageRules.MaxLimit)
            .DescribeIntegerQuery("offset", $"How many {items} to skip.", 0, 0, ShowcasePageRules.MaxOffset)
            .DescribeTextQuery("city", CityFilter, ShowcasePageRules.MaxCityLength, "Bogotá")
            .ProducesError(
                StatusCodes.Status400BadRequest,
                "limit, offset or city is out of range or not a whole number.",
                ProblemExamples.InvalidQueryWithErrors,
                ProblemExamples.InvalidQuery);

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

    private static async Task<Results<Ok<PublicVideoItem>, ProblemHttpResult>> GetVideo(
        [FromRoute(Name = "video_id")] Guid videoId, HttpContext context, IMediator mediator, CancellationToken ct)
    {
        var (viewerId, rejected) = await context.GetViewerAsync();
        if (rejected)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: ClientMessages.Http.Unauthenticated);
        }

        return TypedResults.Ok(await mediator.Send(new GetPublicVideoQuery(videoId, viewerId), ct));
    }

    private static async Task<Ok<CastVoteResponse>> Vote(
        [FromRoute(Name = "video_id")] Guid videoId, ClaimsPrincipal user, IMediator mediator, [FromServices] AnbMetrics metrics, CancellationToken ct)
    {
        var response = await mediator.Send(new CastVoteCommand(user.GetUserId(), videoId), ct);
        metrics.VoteCast();
        return TypedResults.Ok(response);
    }

    private static async Task<Ok<IReadOnlyList<RankingEntry>>> Rankings(
        string? city, string? limit, string? offset, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new GetRankingsQuery(city, QueryParameters.ParseInt(limit, GetRankingsQuery.DefaultLimit), QueryParameters.ParseInt(offset, 0)), ct));
}
