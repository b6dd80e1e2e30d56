using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Public.CastVote;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.Application.Videos.DeleteVideo;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Application.Videos.UploadVideo;
using Anb.Domain.Videos;
using Microsoft.OpenApi;

namespace Anb.WebApi.OpenApi;

/// <summary>What each field of the request and response bodies means, by type and property.</summary>
internal static class SchemaDescriptions
{
    private const string DownloadLink = "Short-lived download link (an expiring signed URL); fetch it again rather than storing it.";

    private const string Poster = "A JPEG frame of the clip (not the intro card), to show before it plays; null until the video is processed. ";

    private const string Progress =
        "Percent (0-100) of the ANB version written so far, updated about once a second; present only when status is `processing`.";

    private static readonly Dictionary<(Type Type, string Property), string> Fields = new()
    {
        [(typeof(SignUpCommand), nameof(SignUpCommand.FirstName))] = "Shown with last_name as the player's username.",
        [(typeof(SignUpCommand), nameof(SignUpCommand.Email))] = "Unique, compared ignoring case; also the login.",
        [(typeof(SignUpCommand), nameof(SignUpCommand.Password1))] = "The password; only a salted slow hash of it is stored.",
        [(typeof(SignUpCommand), nameof(SignUpCommand.Password2))] = "Must equal password1.",
        [(typeof(SignUpCommand), nameof(SignUpCommand.City))] = "Used by the city filter of the public videos and the rankings (compared ignoring case and accents).",
        [(typeof(SignUpResponse), nameof(SignUpResponse.UserId))] = "Id of the new player.",
        [(typeof(LogInResponse), nameof(LogInResponse.AccessToken))] = "JWT to send as `Authorization: Bearer <access_token>`.",
        [(typeof(LogInResponse), nameof(LogInResponse.TokenType))] = "Always `Bearer`.",
        [(typeof(LogInResponse), nameof(LogInResponse.ExpiresIn))] = "Seconds until the token expires (3600 unless configured otherwise).",
        [(typeof(UploadVideoResponse), nameof(UploadVideoResponse.TaskId))] = "Id of the new video (the processing task is keyed by it): use it with /api/videos/{video_id}.",
        [(typeof(MyVideoItem), nameof(MyVideoItem.UploadedAt))] = "UTC.",
        [(typeof(MyVideoItem), nameof(MyVideoItem.ProcessedAt))] = "UTC; null until the video is processed.",
        [(typeof(MyVideoItem), nameof(MyVideoItem.ProcessedUrl))] = $"The ANB version; null until the video is processed. {DownloadLink}",
        [(typeof(MyVideoItem), nameof(MyVideoItem.PosterUrl))] = Poster + DownloadLink,
        [(typeof(MyVideoItem), nameof(MyVideoItem.Progress))] = Progress,
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.UploadedAt))] = "UTC.",
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.ProcessedAt))] = "UTC; null until the video is processed.",
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.OriginalUrl))] = $"The file as uploaded. {DownloadLink}",
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.ProcessedUrl))] = $"The ANB version; null until the video is processed. {DownloadLink}",
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.Votes))] = "Votes received.",
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.FailureReason))] = "Why processing failed; present only when status is `failed`.",
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.PosterUrl))] = Poster + DownloadLink,
        [(typeof(MyVideoDetail), nameof(MyVideoDetail.Progress))] = Progress,
        [(typeof(DeleteVideoResponse), nameof(DeleteVideoResponse.VideoId))] = "Id of the deleted video.",
        [(typeof(PublicVideoItem), nameof(PublicVideoItem.Username))] = "The owner's first_name and last_name.",
        [(typeof(PublicVideoItem), nameof(PublicVideoItem.City))] = "The owner's city.",
        [(typeof(PublicVideoItem), nameof(PublicVideoItem.Votes))] = "Votes received.",
        [(typeof(PublicVideoItem), nameof(PublicVideoItem.ProcessedUrl))] = $"The ANB version. {DownloadLink}",
        [(typeof(PublicVideoItem), nameof(PublicVideoItem.PosterUrl))] =
            $"A JPEG frame of the clip (not the intro card), to show before it plays; null only for a video processed before posters were made. {DownloadLink}",
        [(typeof(PublicVideoItem), nameof(PublicVideoItem.VotedByMe))] =
            "Whether the player behind the token has voted for this video; present only when the request carries a valid token.",
        [(typeof(CastVoteResponse), nameof(CastVoteResponse.Message))] = "Confirmation.",
        [(typeof(RankingEntry), nameof(RankingEntry.Position))] = "Rank within the (filtered) list, counting the offset: the first item is offset + 1.",
        [(typeof(RankingEntry), nameof(RankingEntry.Username))] = "The player's first_name and last_name.",
        [(typeof(RankingEntry), nameof(RankingEntry.City))] = "The player's city.",
        [(typeof(RankingEntry), nameof(RankingEntry.Votes))] = "Total votes of the player's videos.",
    };

    private static readonly Dictionary<Type, string> Types = new()
    {
        [typeof(VideoStatus)] =
            "`uploaded` (stored, waiting for the worker) -> `processing` -> `processed` (public, open for votes) or " +
            "`failed` (see failure_reason). The status only moves forward.",
    };

    public static string? Of(Type type, string property) => Fields.GetValueOrDefault((type, property));

    public static string? Of(Type type) => Types.GetValueOrDefault(type);

    /// <summary>The sign-up validator's bounds (its limits are constants there); log-in only needs the fields present.</summary>
    public static void ApplyRequestBounds(OpenApiSchema schema, Type command, string property)
    {
        schema.MinLength = 1;
        if (command != typeof(SignUpCommand))
        {
            return;
        }

        switch (property)
        {
            case nameof(SignUpCommand.Email):
                schema.Format = "email";
                schema.MaxLength = SignUpValidator.MaxEmailLength;
                break;
            case nameof(SignUpCommand.Password1):
                schema.MinLength = SignUpValidator.MinPasswordLength;
                schema.MaxLength = SignUpValidator.MaxPasswordLength;
                break;
            case nameof(SignUpCommand.Password2):
                break;
            default:
                schema.MaxLength = SignUpValidator.MaxNameLength;
                break;
        }
    }
}
