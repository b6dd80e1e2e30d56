using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Anb.Application.Common.Messages;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Hostile;

/// <summary>
/// Hostile input on every route the app maps: each case answers its documented 4xx as problem details
/// with the catalogue's detail, leaves no file or row behind, and the next ordinary requests
/// (<c>/health/ready</c> and a valid call of the same route) still succeed. The cases are a table by
/// route (<see cref="HostileRoutes"/>); a route the app maps without the cases its shape calls for
/// (a JSON body, a body it reads itself, a route value, query parameters) fails
/// <see cref="EveryMappedRoute_HasTheHostileCasesItsShapeCallsFor"/>.
/// </summary>
public sealed class HostileRequestTests(HostileApiFactory factory) : IClassFixture<HostileApiFactory>
{
    public static TheoryData<string> Cases() => [.. HostileRoutes.All.SelectMany(r => r.Cases).Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileRequest_AnswersItsDocumented4xx_AndLeavesTheServiceHealthy(string id)
    {
        var route = HostileRoutes.All.Single(r => r.Cases.Any(c => c.Id == id));
        var hostile = route.Cases.Single(c => c.Id == id);
        if (route.MayBeUnmapped && !MappedRouteKeys().Contains(route.Key))
        {
            return; // a route another change adds; its cases run once it is mapped
        }

        var scene = await factory.SceneAsync();
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60); // a request that hangs fails the case
        var before = await LeftoversAsync();

        var response = await client.SendAsync(await hostile.Request(scene));

        var problem = await response.AssertProblemAsync(hostile.Status);
        Assert.Contains((string?)problem["detail"], hostile.Details);
        Assert.Equal(before, await LeftoversAsync());

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var valid = await client.SendAsync(await route.ValidCall(scene));
        Assert.True(route.Success == valid.StatusCode, $"{route.Key}: the valid call after the case got {(int)valid.StatusCode}: {await valid.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public void EveryMappedRoute_HasTheHostileCasesItsShapeCallsFor()
    {
        var gaps = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            foreach (var key in Keys(endpoint))
            {
                var route = HostileRoutes.All.SingleOrDefault(r => r.Key == key);
                var kinds = route?.Cases.Select(c => c.Kind).ToHashSet() ?? [];
                gaps.AddRange(RequiredKinds(endpoint).Where(k => !kinds.Contains(k)).Select(k => $"{key}: no {k} case"));
            }
        }

        var mapped = MappedRouteKeys();
        gaps.AddRange(HostileRoutes.All.Where(r => !r.MayBeUnmapped && !mapped.Contains(r.Key)).Select(r => $"{r.Key}: in the table but not mapped"));
        Assert.True(gaps.Count == 0, string.Join(Environment.NewLine, gaps));
    }

    [Fact]
    public async Task JsonBody_AtTheLimit_IsRead_OneByteMore_Is413()
    {
        var limit = new RequestBodyOptions().MaxBytes;
        using var client = factory.CreateClient();
        var padding = limit - Encoding.UTF8.GetByteCount("{\"email\":\"a@b.co\",\"password\":\"\"}");

        var atLimit = await client.PostAsync("/api/auth/login", HostileRoutes.Json($"{{\"email\":\"a@b.co\",\"password\":\"{new string('x', padding)}\"}}"));
        var over = await client.PostAsync("/api/auth/login", HostileRoutes.Json($"{{\"email\":\"a@b.co\",\"password\":\"{new string('x', padding + 1)}\"}}"));

        await atLimit.AssertProblemAsync(HttpStatusCode.Unauthorized, ClientMessages.Auth.InvalidCredentials);
        await over.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ClientMessages.Http.BodyTooLarge(limit));
    }

    // The web page's files (one endpoint per file and encoding) are the framework's static files, read-only
    // GETs behind the same body limit; the browser suite covers them.
    private IEnumerable<RouteEndpoint> Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null);

    private HashSet<string> MappedRouteKeys() => Endpoints().SelectMany(Keys).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Keys(RouteEndpoint endpoint) =>
        (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {endpoint.RoutePattern.RawText}");

    /// <summary>What a route's shape calls for: every route huge bodies and a wrong method; the rest by what it reads.</summary>
    private static IEnumerable<Hostility> RequiredKinds(RouteEndpoint endpoint)
    {
        yield return Hostility.HugeDeclaredBody;
        yield return Hostility.HugeStreamedBody;
        if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
        {
            yield return Hostility.WrongMethod;
        }

        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
        {
            foreach (var kind in new[] { Hostility.MalformedJson, Hostility.WrongContentType, Hostility.MissingContentType, Hostility.WrongShape, Hostility.Nulls, Hostility.OversizedField })
            {
                yield return kind;
            }
        }

        var parameters = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [];
        if (parameters.Any(p => p.ParameterType == typeof(HttpRequest)))
        {
            foreach (var kind in new[] { Hostility.WrongContentType, Hostility.MissingContentType, Hostility.MalformedBody, Hostility.OversizedField })
            {
                yield return kind;
            }
        }

        var routeValues = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (routeValues.Count > 0)
        {
            yield return Hostility.BadRouteValue;
        }

        if (routeValues.Contains("video_id"))
        {
            yield return Hostility.UnknownId;
        }

        if (parameters.Any(p => IsQuery(p, routeValues)))
        {
            yield return Hostility.BadQuery;
        }
    }

    private static bool IsQuery(ParameterInfo parameter, HashSet<string> routeValues)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var simple = type == typeof(string) || type.IsPrimitive;
        var fromElsewhere = parameter.GetCustomAttributes().Any(a => a is FromRouteAttribute or FromServicesAttribute or FromBodyAttribute or FromHeaderAttribute);
        return simple && !fromElsewhere && !routeValues.Contains(parameter.Name ?? string.Empty);
    }

    /// <summary>Files in storage and the spool, and rows of videos: a refused request changes none of them.</summary>
    private async Task<(int Files, long Videos)> LeftoversAsync()
    {
        static int Count(string folder) => Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count() : 0;
        return (Count(factory.StorageRoot) + Count(factory.SpoolFolder), await factory.Database.ScalarAsync<long>("SELECT count(*) FROM videos"));
    }
}
