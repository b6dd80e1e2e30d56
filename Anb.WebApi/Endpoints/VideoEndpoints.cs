using System.Security.Claims;
using Anb.Application.Videos.DeleteVideo;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Application.Videos.UploadVideo;
using Anb.WebApi.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Endpoints;

internal static class VideoEndpoints
{
    public static IEndpointRouteBuilder MapVideoEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/videos").WithTags("My videos").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/upload", Upload)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/", List);
        group.MapGet("/{video_id:guid}", Get)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{video_id:guid}", Delete)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Created<UploadVideoResponse>> Upload(
        HttpRequest request,
        ClaimsPrincipal user,
        IMediator mediator,
        IOptions<UploadOptions> rules,
        IOptions<UploadSpoolOptions> spool,
        CancellationToken ct)
    {
        await using var upload = await MultipartUpload.ReadAsync(request, rules.Value.MaxBytes, spool.Value.ResolveFolder(), ct);
        var response = await mediator.Send(new UploadVideoCommand(user.GetUserId(), upload.Title, upload.FilePath, upload.FileSize), ct);
        return TypedResults.Created($"/api/videos/{response.TaskId}", response);
    }

    private static async Task<Ok<IReadOnlyList<MyVideoItem>>> List(ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListMyVideosQuery(user.GetUserId()), ct));

    private static async Task<Ok<MyVideoDetail>> Get(
        [FromRoute(Name = "video_id")] Guid videoId, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetMyVideoQuery(user.GetUserId(), videoId), ct));

    private static async Task<Ok<DeleteVideoResponse>> Delete(
        [FromRoute(Name = "video_id")] Guid videoId, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new DeleteVideoCommand(user.GetUserId(), videoId), ct));
}
