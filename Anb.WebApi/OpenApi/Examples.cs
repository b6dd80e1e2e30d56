using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.Application.Videos.Common;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Domain.Videos;
using Anb.Infrastructure.Storage;

namespace Anb.WebApi.OpenApi;

/// <summary>Sample request and response bodies, built from the real types so they serialize as the API does.</summary>
internal static class Examples
{
    public const string Email = "ana.gomez@example.com";
    public const string Password = "s3cret-pass";

    public static readonly Guid UserId = Guid.Parse("0199a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d");
    public static readonly Guid VideoId = Guid.Parse("0199a3d0-7b1c-7d2e-8f30-415263748596");
    public static readonly Guid OtherVideoId = Guid.Parse("0199a3d2-0c4d-7e5f-9a6b-7c8d9e0f1a2b");

    private static readonly DateTimeOffset UploadedAt = new(2026, 3, 10, 14, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ProcessedAt = UploadedAt.AddSeconds(48);

    public static SignUpCommand SignUp { get; } = new("Ana", "Gómez", Email, Password, Password, "Bogotá", "Colombia");

    public static LogInCommand LogIn { get; } = new(Email, Password);

    public static LogInResponse Token { get; } = new(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTk5YTNjNC01ZTZmLTdhOGItOWMwZC0xZTJmM2E0YjVjNmQifQ.c2lnbmF0dXJl",
        "Bearer",
        3600);

    public static MyVideoItem[] MyVideos { get; } =
    [
        new(VideoId, "Triple sobre la bocina", VideoStatus.Processed, UploadedAt, ProcessedAt, Link(VideoStorageKeys.Processed(VideoId)), Link(VideoStorageKeys.Poster(VideoId)), null),
        new(OtherVideoId, "Mi mejor jugada", VideoStatus.Processing, UploadedAt.AddDays(1), null, null, null, 42),
    ];

    public static MyVideoDetail MyVideo { get; } = new(
        VideoId,
        "Triple sobre la bocina",
        VideoStatus.Processed,
        UploadedAt,
        ProcessedAt,
        Link(VideoStorageKeys.Original(VideoId)),
        Link(VideoStorageKeys.Processed(VideoId)),
        Link(VideoStorageKeys.Poster(VideoId)),
        12,
        null,
        null);

    public static PublicVideoItem[] PublicVideos { get; } =
    [
        new(VideoId, "Triple sobre la bocina", "Ana Gómez", "Bogotá", 12, Link(VideoStorageKeys.Processed(VideoId)), Link(VideoStorageKeys.Poster(VideoId)), true),
        new(OtherVideoId, "Mi mejor jugada", "Luis Pérez", "Medellín", 7, Link(VideoStorageKeys.Processed(OtherVideoId)), Link(VideoStorageKeys.Poster(OtherVideoId)), false),
    ];

    public static RankingEntry[] Rankings { get; } =
    [
        new(1, "Ana Gómez", "Bogotá", 1530),
        new(2, "Luis Pérez", "Medellín", 1212),
    ];

    /// <summary>A download link as the local storage signs it (S3 gives a presigned URL instead).</summary>
    private static Uri Link(string key) =>
        new($"http://127.0.0.1:8080{LocalFileStorage.FilesRoute}/{key}?expires=1773154200&signature=9b1f0c4e2d7a5b8c3e6f1a0d4c7b2e5f8a1d4c7b0e3f6a9c2d5e8b1f4a7c0d3e");
}
