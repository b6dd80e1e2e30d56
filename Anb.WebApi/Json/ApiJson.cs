using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Anb.Application.Public.ListPublicVideos;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;

namespace Anb.WebApi.Json;

/// <summary>The JSON shape of the contract: snake_case names and enums, UTC times with a Z, optional fields left out when null.</summary>
internal static class ApiJson
{
    /// <summary>Fields the contract leaves out rather than sending as null (every other null is sent).</summary>
    private static readonly (Type Type, string Property)[] OmittedWhenNull =
    [
        (typeof(PublicVideoItem), nameof(PublicVideoItem.VotedByMe)),
        (typeof(MyVideoDetail), nameof(MyVideoDetail.FailureReason)),
        (typeof(MyVideoDetail), nameof(MyVideoDetail.Progress)),
        (typeof(MyVideoItem), nameof(MyVideoItem.Progress)),
    ];

    public static JsonNamingPolicy NamingPolicy => JsonNamingPolicy.SnakeCaseLower;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = NamingPolicy;
        options.DictionaryKeyPolicy = NamingPolicy;
        options.Converters.Add(new JsonStringEnumConverter(NamingPolicy));
        options.Converters.Add(new UtcDateTimeOffsetConverter());

        // The generated context first; the framework's reflection resolver stays behind it for its own
        // types (problem details and their extensions).
        options.TypeInfoResolverChain.Insert(0, AnbJsonContext.Default.WithAddedModifier(OmitOptionalNulls));
    }

    private static void OmitOptionalNulls(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            if (OmittedWhenNull.Any(o => o.Type == typeInfo.Type && NamingPolicy.ConvertName(o.Property) == property.Name))
            {
                property.ShouldSerialize = static (_, value) => value is not null;
            }
        }
    }
}
