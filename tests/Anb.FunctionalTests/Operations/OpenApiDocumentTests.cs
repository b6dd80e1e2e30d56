using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Anb.FunctionalTests.Security;
using Anb.Tests.Shared;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Operations;

/// <summary>
/// The OpenAPI document (/openapi/v1.json, shown at /docs) against the running API: the same routes; per
/// operation exactly the statuses real requests get; errors as problem details whose messages are among
/// the documented examples; query defaults and bounds as enforced.
/// </summary>
public sealed class OpenApiDocumentTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private const string Problem = "application/problem+json";
    private static readonly string[] NotApi = ["/health", "/openapi", "/docs", "/files"];
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private readonly ConcurrentQueue<Exchange> exchanges = new();

    [Fact]
    public async Task Document_ListsExactlyTheApiEndpoints()
    {
        var documented = (await OperationsAsync()).Keys.Order(StringComparer.Ordinal);

        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null) // the web page's files
            .Select(e => (Route: Template(e.RoutePattern), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]))
            .Where(e => !NotApi.Any(prefix => e.Route.StartsWith(prefix, StringComparison.Ordinal)))
            .SelectMany(e => e.Methods.Select(method => $"{method} {e.Route}"))
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(mapped, documented);
    }

    [Fact]
    public async Task Document_StatusesAndMessages_AreTheOnesEachOperationAnswers()
    {
        await DriveEveryOperationAsync();
        var operations = await OperationsAsync();
        var mismatches = new List<string>();

        foreach (var (key, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            var documented = responses.Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture)).ToHashSet();
            var answered = exchanges.Where(e => OperationOf(e, operations.Keys) == key).Select(e => e.Status).ToHashSet();
            if (!documented.SetEquals(answered))
            {
                mismatches.Add($"{key}: documents {Statuses(documented)} but answered {Statuses(answered)}");
            }

            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var content = response!["content"]?.AsObject();
                if (content is null || content.Count != 1 || !content.ContainsKey(Problem))
                {
                    mismatches.Add($"{key} {status}: content must be {Problem} only");
                }
                else if (ExampleDetails(content[Problem]!) is not { Count: > 0 } details || details.Any(string.IsNullOrEmpty))
                {
                    mismatches.Add($"{key} {status}: every example needs a detail");
                }
            }
        }

        foreach (var exchange in exchanges)
        {
            var key = OperationOf(exchange, operations.Keys);
            if (key is null)
            {
                mismatches.Add($"{exchange.Method} {exchange.Path}: not in the document");
            }
            else if (exchange.Status >= 400 && exchange.MediaType != Problem)
            {
                mismatches.Add($"{key} {exchange.Status}: answered {exchange.MediaType}");
            }
            else if (exchange.Status >= 400
                && operations[key]["responses"]?[exchange.Status.ToString(CultureInfo.InvariantCulture)]?["content"]?[Problem] is { } media
                && !ExampleDetails(media).Contains(exchange.Detail))
            {
                mismatches.Add($"{key} {exchange.Status}: \"{exchange.Detail}\" is not among the documented examples");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Distinct()));
    }

    [Fact]
    public async Task Document_QueryDefaultsAndBounds_AreTheOnesEnforced()
    {
        var anonymous = factory.CreateClient();
        var (_, ownerId) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        for (var i = 0; i < 21; i++)
        {
            await factory.VideoAsync(ownerId, VideoStatus.Processed, $"Jugada {i}");
        }

        for (var i = 0; i < 11; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).StatusCode);
        }

        var checkedParameters = new List<string>();
        foreach (var (key, operation) in await OperationsAsync())
        {
            var route = key.Split(' ', 2)[1];
            foreach (var parameter in (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query"))
            {
                var name = (string)parameter!["name"]!;
                var schema = parameter["schema"]!;
                if (schema["default"] is { } defaultValue)
                {
                    Assert.Equal(await BodyAsync(anonymous, route), await BodyAsync(anonymous, $"{route}?{name}={defaultValue}"));
                }

                if ((string?)schema["type"] == "integer")
                {
                    var (minimum, maximum) = ((long)schema["minimum"]!, (long)schema["maximum"]!);
                    await ExpectAsync(anonymous, route, name, minimum, HttpStatusCode.OK);
                    await ExpectAsync(anonymous, route, name, maximum, HttpStatusCode.OK);
                    await ExpectAsync(anonymous, route, name, minimum - 1, HttpStatusCode.BadRequest);
                    await ExpectAsync(anonymous, route, name, maximum + 1, HttpStatusCode.BadRequest);
                }
                else if (schema["maxLength"] is { } maxLength)
                {
                    await ExpectAsync(anonymous, route, name, new string('a', (int)maxLength), HttpStatusCode.OK);
                    await ExpectAsync(anonymous, route, name, new string('a', (int)maxLength + 1), HttpStatusCode.BadRequest);
                }

                checkedParameters.Add($"{key} {name}");
            }
        }

        Assert.Equal(6, checkedParameters.Count);
    }

    /// <summary>Success and every documented failure of each operation, through recording clients.</summary>
    private async Task DriveEveryOperationAsync()
    {
        var anonymous = Client();
        var (owner, ownerId) = await anonymous.SignUpAndLogInAsync(() => Client());
        var (other, _) = await anonymous.SignUpAndLogInAsync(() => Client(), firstName: "Luis");
        var clip = await VideoFixtures.Mp4Async(1920, 1080, 21);

        // Sign up and log in (their successes are recorded above).
        var email = ApiClient.NewEmail();
        await anonymous.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));
        await anonymous.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));
        await anonymous.PostAsJsonAsync("/api/auth/signup", new { });
        await anonymous.PostAsync("/api/auth/signup", Json("{"));
        await anonymous.PostAsync("/api/auth/signup", new StringContent("first_name=Ana", Encoding.UTF8, "text/plain"));
        await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "not-the-password" });
        await anonymous.PostAsync("/api/auth/login", Json("{"));
        await anonymous.PostAsync("/api/auth/login", new StringContent(email, Encoding.UTF8, "text/plain"));
        var overLimit = $"{{\"email\":\"{new string('a', new RequestBodyOptions().MaxBytes)}\"}}";
        await anonymous.PostAsync("/api/auth/signup", Json(overLimit));
        await anonymous.PostAsync("/api/auth/login", Json(overLimit));

        // My videos.
        Assert.Equal(HttpStatusCode.Created, (await owner.UploadAsync(clip)).StatusCode);
        await owner.UploadAsync(await VideoFixtures.TextAsMp4Async());
        await owner.UploadAsync(clip, title: null);
        await owner.PostAsync("/api/videos/upload", Json("{}"));
        await anonymous.UploadAsync(clip);
        await UploadWithBrokenStorageAsync(owner.DefaultRequestHeaders.Authorization!, clip);
        await owner.GetAsync("/api/videos");
        await anonymous.GetAsync("/api/videos");
        var uploaded = await factory.VideoAsync(ownerId, VideoStatus.Uploaded);
        var processed = await factory.VideoAsync(ownerId, VideoStatus.Processed);
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            await other.SendAsync(new HttpRequestMessage(method, $"/api/videos/{uploaded}"));
            await anonymous.SendAsync(new HttpRequestMessage(method, $"/api/videos/{uploaded}"));
            await owner.SendAsync(new HttpRequestMessage(method, $"/api/videos/{Guid.NewGuid()}"));
            await owner.SendAsync(new HttpRequestMessage(method, $"/api/videos/{processed}"));
        }

        await owner.DeleteAsync($"/api/videos/{uploaded}");

        // Public showcase.
        await other.PostAsync($"/api/public/videos/{processed}/vote", null);
        await other.PostAsync($"/api/public/videos/{processed}/vote", null);
        await owner.PostAsync($"/api/public/videos/{processed}/vote", null);
        await other.PostAsync($"/api/public/videos/{await factory.VideoAsync(ownerId, VideoStatus.Failed)}/vote", null);
        await other.PostAsync($"/api/public/videos/{Guid.NewGuid()}/vote", null);
        await anonymous.PostAsync($"/api/public/videos/{processed}/vote", null);
        await anonymous.GetAsync("/api/public/videos?city=bogota");
        await other.GetAsync("/api/public/videos");
        await anonymous.GetAsync("/api/public/videos?limit=0");
        await anonymous.GetAsync("/api/public/videos?offset=uno");
        var forged = Client();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        await forged.GetAsync("/api/public/videos");
        await anonymous.GetAsync($"/api/public/videos/{processed}");
        await other.GetAsync($"/api/public/videos/{processed}");
        await anonymous.GetAsync($"/api/public/videos/{Guid.NewGuid()}");
        await forged.GetAsync($"/api/public/videos/{processed}");
        await anonymous.GetAsync("/api/public/rankings?city=BOGOTÁ");
        await anonymous.GetAsync("/api/public/rankings?limit=101");

        await DriveLimitsAsync(owner.DefaultRequestHeaders.Authorization!, other.DefaultRequestHeaders.Authorization!);
    }

    /// <summary>A host that allows one request of each limited kind: the second gets the limit's 429.</summary>
    private async Task DriveLimitsAsync(AuthenticationHeaderValue uploader, AuthenticationHeaderValue voter)
    {
        using var tight = factory.WithWebHostBuilder(b =>
        {
            foreach (var limit in new[] { "SignUpsPerMinute", "LogInsPerMinute", "UploadsPerUserPerHour", "VotesPerUserPerMinute" })
            {
                b.UseSetting($"RateLimits:{limit}", "1");
            }

            b.ConfigureServices(s => s.AddTransient<IStartupFilter, PeerAddressFilter>());
        });
        var anonymous = Client(tight);
        anonymous.DefaultRequestHeaders.Add(PeerAddressFilter.Header, "203.0.113.7");
        var notAVideo = await VideoFixtures.TextAsMp4Async();
        for (var i = 0; i < 2; i++)
        {
            await anonymous.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()));
            await anonymous.PostAsJsonAsync("/api/auth/login", new { email = ApiClient.NewEmail(), password = "not-the-password" });
            await Send(uploader).UploadAsync(notAVideo);
            await Send(voter).PostAsync($"/api/public/videos/{Guid.NewGuid()}/vote", null);
        }

        HttpClient Send(AuthenticationHeaderValue token)
        {
            var client = Client(tight);
            client.DefaultRequestHeaders.Authorization = token;
            return client;
        }
    }

    /// <summary>A host whose storage cannot write (a file stands where the originals folder goes): the upload's 503.</summary>
    private async Task UploadWithBrokenStorageAsync(AuthenticationHeaderValue token, string clip)
    {
        var root = Path.Combine(factory.StorageRoot, "broken");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "originals"), "not a folder");
        using var broken = factory.WithWebHostBuilder(b => b.UseSetting("Storage:Local:RootPath", root));
        var client = Client(broken);
        client.DefaultRequestHeaders.Authorization = token;
        await client.UploadAsync(clip);
    }

    private HttpClient Client(WebApplicationFactory<Program>? host = null) => (host ?? factory).CreateDefaultClient(new Recorder(exchanges));

    private async Task<Dictionary<string, JsonObject>> OperationsAsync()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadObjectAsync();
        return document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(item => HttpMethods.Contains(item.Key))
                .Select(item => KeyValuePair.Create($"{item.Key.ToUpperInvariant()} {path.Key}", item.Value!.AsObject())))
            .ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>The documented operation a request belongs to; literal segments win over parameters.</summary>
    private static string? OperationOf(Exchange exchange, IEnumerable<string> operations) =>
        operations
            .Select(key => (Key: key, Parts: key.Split(' ', 2)))
            .Where(o => o.Parts[0] == exchange.Method && Matches(o.Parts[1], exchange.Path))
            .OrderBy(o => o.Parts[1].Count(c => c == '{'))
            .Select(o => o.Key)
            .FirstOrDefault();

    private static bool Matches(string template, string path)
    {
        var expected = template.Split('/');
        var actual = path.TrimEnd('/').Split('/');
        return expected.Length == actual.Length && expected.Zip(actual).All(s => s.First.StartsWith('{') || s.First == s.Second);
    }

    private static string Template(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"Unexpected route part in {pattern.RawText}"),
        })));
        return "/" + string.Join('/', segments);
    }

    private static HashSet<string?> ExampleDetails(JsonNode media) =>
        (media["examples"]?.AsObject() ?? [])
        .Select(e => (string?)e.Value!["value"]?["detail"])
        .ToHashSet();

    private static string Statuses(IEnumerable<int> statuses) => string.Join(", ", statuses.Order());

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> BodyAsync(HttpClient client, string uri)
    {
        var response = await client.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task ExpectAsync(HttpClient client, string route, string name, object value, HttpStatusCode status)
    {
        var uri = $"{route}?{name}={Uri.EscapeDataString(Convert.ToString(value, CultureInfo.InvariantCulture)!)}";
        var response = await client.GetAsync(uri);
        Assert.True(status == response.StatusCode, $"GET {uri}: expected {(int)status}, got {(int)response.StatusCode}");
    }

    private sealed record Exchange(string Method, string Path, int Status, string? MediaType, string? Detail);

    /// <summary>Keeps each answer's method, path, status, media type and problem detail.</summary>
    private sealed class Recorder(ConcurrentQueue<Exchange> exchanges) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var detail = mediaType == Problem
                ? (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["detail"]
                : null;
            exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, mediaType, detail));
            return response;
        }
    }
}
