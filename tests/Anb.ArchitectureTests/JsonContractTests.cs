using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anb.Application.Public.ListPublicVideos;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Domain.Videos;
using Anb.WebApi.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Anb.ArchitectureTests;

/// <summary>Every body the endpoints read or write has source-generated metadata; the wire shape is the contract's.</summary>
public sealed class JsonContractTests
{
    private static readonly JsonSerializerOptions Options = ApiOptions();

    public static TheoryData<Type> BodyTypes()
    {
        var data = new TheoryData<Type>();
        var endpoints = ProductionAssemblies.WebApi.GetTypes().Where(t => t.Namespace == "Anb.WebApi.Endpoints");
        var handlers = endpoints.SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly));
        foreach (var type in handlers.SelectMany(BodiesOf).Distinct())
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Endpoints_HaveBodies() => Assert.True(BodyTypes().Count >= 10, "The endpoint scan found too few bodies.");

    [Theory]
    [MemberData(nameof(BodyTypes))]
    public void Body_HasSourceGeneratedMetadata(Type type) =>
        Assert.NotNull(AnbJsonContext.Default.GetTypeInfo(type));

    [Fact]
    public void OptionalFields_AreLeftOutWhenNull_OtherNullsAreSent()
    {
        var anonymous = Serialize(new PublicVideoItem(Guid.Empty, "t", "u", "c", 1, new Uri("http://x/"), null, null));
        var signedIn = Serialize(new PublicVideoItem(Guid.Empty, "t", "u", "c", 1, new Uri("http://x/"), null, false));
        var uploaded = Serialize<IReadOnlyList<MyVideoItem>>([new MyVideoItem(Guid.Empty, "t", VideoStatus.Uploaded, DateTimeOffset.UnixEpoch, null, null, null, null)]);
        var detail = Serialize(new MyVideoDetail(Guid.Empty, "t", VideoStatus.Processing, DateTimeOffset.UnixEpoch, null, new Uri("http://x/"), null, null, 0, null, 7));

        Assert.False(anonymous.AsObject().ContainsKey("voted_by_me"));
        Assert.False(signedIn["voted_by_me"]!.GetValue<bool>());
        Assert.True(uploaded[0]!.AsObject().ContainsKey("processed_at"));
        Assert.Null(uploaded[0]!["processed_url"]);
        Assert.True(uploaded[0]!.AsObject().ContainsKey("poster_url"));
        Assert.True(anonymous.AsObject().ContainsKey("poster_url"));
        Assert.Equal("uploaded", uploaded[0]!["status"]!.GetValue<string>());
        Assert.Equal("1970-01-01T00:00:00Z", uploaded[0]!["uploaded_at"]!.GetValue<string>());
        Assert.False(uploaded[0]!.AsObject().ContainsKey("progress"));
        Assert.False(detail.AsObject().ContainsKey("failure_reason"));
        Assert.Equal(7, detail["progress"]!.GetValue<int>());
        Assert.True(detail.AsObject().ContainsKey("processed_url"));
    }

    private static JsonNode Serialize<T>(T value) => JsonNode.Parse(JsonSerializer.Serialize(value, Options))!;

    private static JsonSerializerOptions ApiOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }

    // Ok<T> and Created<T> carry response bodies; [FromBody]-less complex parameters from the Application are request bodies
    // (but services, marked [FromServices]).
    private static IEnumerable<Type> BodiesOf(MethodInfo method)
    {
        foreach (var result in Unwrap(method.ReturnType))
        {
            if (result.IsGenericType && (result.GetGenericTypeDefinition() == typeof(Ok<>) || result.GetGenericTypeDefinition() == typeof(Created<>)))
            {
                yield return result.GenericTypeArguments[0];
            }
        }

        foreach (var parameter in method.GetParameters().Where(p =>
                     p.ParameterType.Namespace?.StartsWith("Anb.Application", StringComparison.Ordinal) == true
                     && p.GetCustomAttribute<FromServicesAttribute>() is null))
        {
            yield return parameter.ParameterType;
        }
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (!type.IsGenericType)
        {
            return [type];
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition.Name.StartsWith("Results`", StringComparison.Ordinal)
            ? type.GenericTypeArguments.SelectMany(Unwrap)
            : [type];
    }
}
