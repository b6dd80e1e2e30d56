using System.Security.Claims;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.DeleteVideo;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Application.Videos.UploadVideo;
using Anb.Domain.Videos;
using Anb.WebApi.Infrastructure;
using Anb.WebApi.OpenApi;
using Anb.WebApi.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Endpoints;

internal static class VideoEndpoints
{
    public static IEndpointRouteBuilder MapVideoEndpoints(this IEndpointRouteBuilder app)
    {
        var rules = app.ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value;
        var limits = app.ServiceProvider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var group = app.MapGroup("/api/videos").WithTags("My videos").RequireAuthorization()
            .ProducesError(StatusCodes.Status401Unauthorized, "No token, or one that is invalid or expired.", ProblemExamples.Unauthenticated);
        group.MapPost("/upload", Upload)
            .RequireRateLimiting(ApiRateLimits.Upload)
            .WithOwnBodyLimit()
            .DisableAntiforgery()
            .WithName("UploadVideo")
            .WithSummary("Upload a video")
            .WithDescription(
                "Checks the file from its bytes, stores it, records the video as `uploaded` and queues its processing, then answers " +
                "at once (it never waits for processing). Follow the video with GET /api/videos/{video_id}.")
            .AcceptsMultipartForm(
                "The clip and its title, both required.",
                new FormField(
                    MultipartUpload.FileField,
                    $"An MP4 container (checked from its bytes, not its name) of at most {rules.MaxBytes / (1024 * 1024)} MB with a video " +
                    $"stream of {rules.MinDurationSeconds} to {rules.MaxDurationSeconds} s whose shorter side is at least {rules.MinShortSide} " +
                    "pixels (1080p landscape or portrait).",
                    IsFile: true),
                new FormField(
                    MultipartUpload.TitleField,
                    $"1 to {Video.MaxTitleLength} characters once trimmed.",
                    MaxLength: Video.MaxTitleLength,
                    Example: "Triple sobre la bocina"))
            .WithResponseExample(
                StatusCodes.Status201Created,
                "Stored and queued for processing.",
                new UploadVideoResponse(ClientMessages.Upload.Accepted, Examples.VideoId))
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "/api/videos/{video_id} of the new video.")
            .ProducesError(
                StatusCodes.Status400BadRequest,
                "The body is not multipart/form-data, a field is missing or the file breaks a rule (container, size, duration, " +
                "resolution); nothing is kept.",
                new("Not multipart/form-data", ClientMessages.Upload.NotMultipart),
                new("No file", ClientMessages.Upload.FileRequired),
                new("No title", ClientMessages.Upload.TitleRequired),
                new("Title too long", ClientMessages.Upload.TitleLength),
                new("Title with a NUL character", ClientMessages.Http.MalformedRequest),
                new("Not an MP4 video", ClientMessages.Upload.NotMp4),
                new("File too large", ClientMessages.Upload.TooLarge(rules.MaxBytes)),
                new("Duration out of range", ClientMessages.Upload.Duration(rules.MinDurationSeconds, rules.MaxDurationSeconds)),
                new("Resolution too low", ClientMessages.Upload.Resolution(rules.MinShortSide)))
            .ProducesTooManyRequests(
                $"The player already has {limits.UploadsInFlightPerUser} uploads in flight, or started {limits.UploadsPerUserPerHour} " +
                "within the hour.")
            .ProducesServiceUnavailable(
                "Storage, database or queue failed, or this API instance already receives its most uploads at once " +
                $"({limits.UploadsInFlightPerInstance}); nothing was kept, try again later.",
                new("Storage unavailable", ClientMessages.Upload.StorageUnavailable));
        group.MapGet("/", List)
            .WithName("ListMyVideos")
            .WithSummary("List my videos")
            .WithDescription("The player's videos in every status, oldest upload first.")
            .WithResponseExample(StatusCodes.Status200OK, "The player's videos (an empty array when none).", Examples.MyVideos);
        group.MapGet("/{video_id:guid}", Get)
            .WithName("GetMyVideo")
            .WithSummary("One of my videos")
            .WithDescription("Status, download links and votes of one of the player's videos; failure_reason is added when it failed.")
            .DescribeParameter("video_id", "Id of the video (the task_id of its upload).")
            .WithResponseExample(StatusCodes.Status200OK, "The video.", Examples.MyVideo)
            .ProducesError(StatusCodes.Status403Forbidden, "The video belongs to another player.", ProblemExamples.NotOwner)
            .ProducesError(StatusCodes.Status404NotFound, "No video has that id.", ProblemExamples.VideoNotFound);
        group.MapDelete("/{video_id:guid}", Delete)
            .WithName("DeleteMyVideo")
            .WithSummary("Delete one of my videos")
            .WithDescription(
                "Deletes a video that is not public yet (any status but `processed`) with every stored file; a processing task " +
                "still queued for it ends without effect.")
            .DescribeParameter("video_id", "Id of the video.")
            .WithResponseExample(
                StatusCodes.Status200OK,
                "The video and its files are gone.",
                new DeleteVideoResponse(ClientMessages.Videos.Deleted, Examples.OtherVideoId))
            .ProducesError(
                StatusCodes.Status400BadRequest, "The video is processed: it is public and open for votes.", ProblemExamples.AlreadyPublished)
            .ProducesError(StatusCodes.Status403Forbidden, "The video belongs to another player.", ProblemExamples.NotOwner)
            .ProducesError(StatusCodes.Status404NotFound, "No video has that id.", ProblemExamples.VideoNotFound);
        return app;
    }

    private static async Task<Created<UploadVideoResponse>> Upload(
        HttpRequest request,
        ClaimsPrincipal user,
        IMediator mediator,
        IOptions<UploadOptions> rules,
        IOptions<UploadSpoolOptions> spool,
        [FromServices] AnbMetrics metrics,
        CancellationToken ct)
    {
        metrics.UploadStarted();
        try
        {
            await using var upload = await MultipartUpload.ReadAsync(request, rules.Value.MaxBytes, spool.Value.ResolveFolder(), ct);
            var response = await mediator.Send(new UploadVideoCommand(user.GetUserId(), upload.Title, upload.FilePath, upload.FileSize), ct);
            metrics.UploadAccepted(upload.FileSize);
            return TypedResults.Created($"/api/videos/{response.TaskId}", response);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            metrics.UploadRefused(UploadRefusalReasons.Of(ex));
            throw;
        }
        finally
        {
            metrics.UploadEnded();
        }
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
