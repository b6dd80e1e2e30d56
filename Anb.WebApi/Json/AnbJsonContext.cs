using System.Text.Json.Serialization;
using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Public.CastVote;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.Application.Videos.DeleteVideo;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Application.Videos.UploadVideo;
using Anb.WebApi.Endpoints;

namespace Anb.WebApi.Json;

/// <summary>
/// Source-generated serialisation of every request and response body of the API (no reflection on the hot
/// path). Field names, enums, times and null handling are set by <see cref="ApiJson"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(SignUpCommand))]
[JsonSerializable(typeof(SignUpResponse))]
[JsonSerializable(typeof(LogInCommand))]
[JsonSerializable(typeof(LogInResponse))]
[JsonSerializable(typeof(UploadVideoResponse))]
[JsonSerializable(typeof(IReadOnlyList<MyVideoItem>))]
[JsonSerializable(typeof(MyVideoDetail))]
[JsonSerializable(typeof(DeleteVideoResponse))]
[JsonSerializable(typeof(IReadOnlyList<PublicVideoItem>))]
[JsonSerializable(typeof(PublicVideoItem))]
[JsonSerializable(typeof(CastVoteResponse))]
[JsonSerializable(typeof(IReadOnlyList<RankingEntry>))]
[JsonSerializable(typeof(HealthEndpoints.HealthStatus))]
[JsonSerializable(typeof(HealthEndpoints.Readiness))]
internal sealed partial class AnbJsonContext : JsonSerializerContext;
