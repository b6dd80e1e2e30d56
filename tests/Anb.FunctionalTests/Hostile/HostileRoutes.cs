using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Messages;
using Anb.Application.Public.Common;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;
using Anb.Infrastructure.Storage;
using Anb.Tests.Shared;
using Anb.WebApi.Security;
using Microsoft.Extensions.DependencyInjection;
using static Anb.Tests.Shared.CraftedMp4;

namespace Anb.FunctionalTests.Hostile;

public enum Hostility
{
    MalformedJson,
    WrongContentType,
    MissingContentType,
    WrongShape,
    Nulls,
    OversizedField,
    HugeDeclaredBody,
    HugeStreamedBody,
    MalformedBody,
    CraftedFile,
    BadRouteValue,
    UnknownId,
    BadQuery,
    WrongMethod,
}

/// <summary>One hostile request and what it must answer (status, and a detail among <see cref="Details"/>).</summary>
public sealed record HostileCase(string Id, Hostility Kind, Func<HostileScene, Task<HttpRequestMessage>> Request, HttpStatusCode Status, string[] Details);

/// <param name="Key">Method and route template as the app maps it (<c>RoutePattern.RawText</c>).</param>
/// <param name="ValidCall">An ordinary request of the route, sent after each case; it must get <paramref name="Success"/>.</param>
/// <param name="MayBeUnmapped">A route another change adds: its cases wait until it is mapped.</param>
public sealed record HostileRoute(
    string Key, Func<HostileScene, Task<HttpRequestMessage>> ValidCall, HttpStatusCode Success, HostileCase[] Cases, bool MayBeUnmapped = false);

/// <summary>The table of <see cref="HostileRequestTests"/>: every route with its hostile cases.</summary>
public static class HostileRoutes
{
    private const int HugeBytes = 1024 * 1024;
    private const string Boundary = "hostile-boundary";
    private static readonly string Malformed = ClientMessages.Http.MalformedRequest;
    private static readonly string NoRoute = ClientMessages.Http.RouteNotFound;
    private static readonly string TooLarge = ClientMessages.Http.BodyTooLarge(new RequestBodyOptions().MaxBytes);
    private static readonly string Unknown = Guid.NewGuid().ToString();

    public static readonly HostileRoute[] All =
    [
        Route("POST /api/auth/signup", "/api/auth/signup", _ => Post("/api/auth/signup", Json(SignUp(ApiClient.NewEmail()))), HttpStatusCode.Created,
            [
                .. JsonBody("POST", "/api/auth/signup"),
                Case(Hostility.Nulls, "every field null", Post("/api/auth/signup", Json("""{"first_name":null,"last_name":null,"email":null,"password1":null,"password2":null,"city":null,"country":null}""")), HttpStatusCode.BadRequest, ClientMessages.Fields.Required("first_name")),
                Case(Hostility.OversizedField, "a 10,000-character first_name", Post("/api/auth/signup", Json(SignUp(ApiClient.NewEmail(), firstName: new string('A', 10_000)))), HttpStatusCode.BadRequest, ClientMessages.Fields.TooLong("first_name", SignUpValidator.MaxNameLength)),
                Case(Hostility.OversizedField, "a 300-character email", Post("/api/auth/signup", Json(SignUp(new string('a', 290) + "@example.com"))), HttpStatusCode.BadRequest, ClientMessages.Fields.TooLong("email", SignUpValidator.MaxEmailLength)),
                Case(Hostility.WrongShape, "a NUL character in a name", Post("/api/auth/signup", Json(SignUp(ApiClient.NewEmail(), firstName: "Ana\u0000"))), HttpStatusCode.BadRequest, Malformed),
                Case(Hostility.OversizedField, "a 129-character password", Post("/api/auth/signup", Json(SignUp(ApiClient.NewEmail(), password: new string('p', 129)))), HttpStatusCode.BadRequest, ClientMessages.Fields.TooLong("password1", SignUpValidator.MaxPasswordLength)),
            ]),
        Route("POST /api/auth/login", "/api/auth/login", _ => Post("/api/auth/login", Json("""{"email":"nadie@example.com","password":"s3cret-pass"}""")), HttpStatusCode.Unauthorized,
            [
                .. JsonBody("POST", "/api/auth/login"),
                Case(Hostility.Nulls, "both fields null", Post("/api/auth/login", Json("""{"email":null,"password":null}""")), HttpStatusCode.Unauthorized, ClientMessages.Auth.InvalidCredentials),
                Case(Hostility.OversizedField, "a 60,000-character password", Post("/api/auth/login", Json($$"""{"email":"ana@example.com","password":"{{new string('p', 60_000)}}"}""")), HttpStatusCode.Unauthorized, ClientMessages.Auth.InvalidCredentials),
                Case(Hostility.WrongShape, "a NUL character in the email", Post("/api/auth/login", Json("""{"email":"ana\u0000@example.com","password":"s3cret-pass"}""")), HttpStatusCode.BadRequest, Malformed),
                Case(Hostility.OversizedField, "a 10,000-character email", Post("/api/auth/login", Json($$"""{"email":"{{new string('a', 10_000)}}@example.com","password":"s3cret-pass"}""")), HttpStatusCode.Unauthorized, ClientMessages.Auth.InvalidCredentials),
            ]),
        UploadRoute(),
        Route("GET /api/videos/", "/api/videos", s => Get("/api/videos", s.Owner), HttpStatusCode.OK, []),
        Route("GET /api/videos/{video_id:guid}", $"/api/videos/{Unknown}", async s => Get($"/api/videos/{await s.VideoAsync(VideoStatus.Uploaded)}", s.Owner), HttpStatusCode.OK,
            [.. VideoIds(HttpMethod.Get, "/api/videos/{0}", owner: true)]),
        Route("DELETE /api/videos/{video_id:guid}", $"/api/videos/{Unknown}", async s => Send(HttpMethod.Delete, $"/api/videos/{await s.VideoAsync(VideoStatus.Uploaded)}", s.Owner), HttpStatusCode.OK,
            [.. VideoIds(HttpMethod.Delete, "/api/videos/{0}", owner: true)]),
        Route("GET /api/public/videos", "/api/public/videos", _ => Get("/api/public/videos"), HttpStatusCode.OK, [.. Paging("/api/public/videos")]),
        Route("POST /api/public/videos/{video_id:guid}/vote", $"/api/public/videos/{Unknown}/vote", async s => Send(HttpMethod.Post, $"/api/public/videos/{await s.VideoAsync(VideoStatus.Processed)}/vote", s.Voter), HttpStatusCode.OK,
            [.. VideoIds(HttpMethod.Post, "/api/public/videos/{0}/vote", owner: false)]),
        Route("GET /api/public/rankings", "/api/public/rankings", _ => Get("/api/public/rankings"), HttpStatusCode.OK, [.. Paging("/api/public/rankings")]),
        Route("GET /api/public/videos/{video_id:guid}", $"/api/public/videos/{Unknown}", async s => Get($"/api/public/videos/{await s.VideoAsync(VideoStatus.Processed)}"), HttpStatusCode.OK,
            [.. VideoIds(HttpMethod.Get, "/api/public/videos/{0}", owner: false)], mayBeUnmapped: true),
        Route("GET /health", "/health", _ => Get("/health"), HttpStatusCode.OK, []),
        Route("* /health/ready", "/health/ready", _ => Get("/health/ready"), HttpStatusCode.OK, []),
        Route("GET /openapi/{documentName}.json", "/openapi/v1.json", _ => Get("/openapi/v1.json"), HttpStatusCode.OK,
            [
                Case(Hostility.BadRouteValue, "a document that does not exist", Get("/openapi/v2.json"), HttpStatusCode.NotFound, NoRoute),
                Case(Hostility.BadRouteValue, "a path climbing out", Get("/openapi/..%2F..%2Fappsettings.json"), HttpStatusCode.NotFound, NoRoute),
            ]),
        Route("GET /docs/{documentName?}", "/docs", _ => Get("/docs"), HttpStatusCode.OK,
            [
                Case(Hostility.BadRouteValue, "a document that does not exist", Get("/docs/v2"), HttpStatusCode.NotFound, NoRoute),
                Case(Hostility.BadRouteValue, "a script injected as the name", Get("/docs/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), HttpStatusCode.NotFound, NoRoute),
            ]),
        Route("GET /docs/scalar.js", "/docs/scalar.js", _ => Get("/docs/scalar.js"), HttpStatusCode.OK, []),
        Route("GET /docs/scalar.aspnetcore.js", "/docs/scalar.aspnetcore.js", _ => Get("/docs/scalar.aspnetcore.js"), HttpStatusCode.OK, []),
        Route("GET /docs/favicon.svg", "/docs/favicon.svg", _ => Get("/docs/favicon.svg"), HttpStatusCode.OK, []),
        FilesRoute(),
    ];

    private static byte[] FormPrefix => Encoding.ASCII.GetBytes(
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nJugada\r\n" +
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n");

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static HostileRoute Route(
        string key, string path, Func<HostileScene, HttpRequestMessage> valid, HttpStatusCode success, HostileCase[] cases, bool ownBodyLimit = false) =>
        Route(key, path, s => Task.FromResult(valid(s)), success, cases, ownBodyLimit: ownBodyLimit);

    /// <summary>The route with its cases and the common ones: a wrong method and, unless it reads its body under its own limit, huge bodies.</summary>
    private static HostileRoute Route(
        string key, string path, Func<HostileScene, Task<HttpRequestMessage>> valid, HttpStatusCode success, HostileCase[] cases, bool mayBeUnmapped = false, bool ownBodyLimit = false)
    {
        var method = new HttpMethod(key.Split(' ')[0] is "*" ? "GET" : key.Split(' ')[0]);
        HostileCase[] common = ownBodyLimit
            ? []
            :
            [
                Case(Hostility.HugeDeclaredBody, "a 1 MB body", Send(method, path, content: new ByteArrayContent(new byte[HugeBytes])), HttpStatusCode.RequestEntityTooLarge, TooLarge),
                Case(Hostility.HugeStreamedBody, "a 1 MB body sent in chunks", Send(method, path, content: new ChunkedContent(HugeBytes, "application/json")), HttpStatusCode.RequestEntityTooLarge, TooLarge),
            ];
        if (!key.StartsWith('*'))
        {
            common = [.. common, Case(Hostility.WrongMethod, "PATCH", Send(HttpMethod.Patch, path), HttpStatusCode.MethodNotAllowed, ClientMessages.Http.MethodNotAllowed)];
        }

        return new HostileRoute(key, valid, success, [.. common.Concat(cases).Select(c => c with { Id = $"{key}: {c.Id}" })], mayBeUnmapped);
    }

    /// <summary>What any JSON route refuses alike; the route adds its own nulls and oversized fields.</summary>
    private static IEnumerable<HostileCase> JsonBody(string method, string path)
    {
        var verb = new HttpMethod(method);
        yield return Case(Hostility.MalformedJson, "cut JSON", Send(verb, path, content: Json("""{"email":""")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.MalformedJson, "an empty body", Send(verb, path, content: Json(string.Empty)), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.MalformedJson, "bytes that are not UTF-8", Send(verb, path, content: Bytes([.. "{\"email\":\""u8, 0xFF, 0xFE, .. "\"}"u8], "application/json")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.MalformedJson, "10,000 levels of nesting", Send(verb, path, content: Json($"{{\"email\":{new string('[', 10_000)}{new string(']', 10_000)}}}")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.WrongContentType, "text/plain", Send(verb, path, content: new StringContent("{}", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, ClientMessages.Http.JsonRequired);
        yield return Case(Hostility.WrongContentType, "a form", Send(verb, path, content: new FormUrlEncodedContent([new("email", "ana@example.com")])), HttpStatusCode.UnsupportedMediaType, ClientMessages.Http.JsonRequired);
        yield return Case(Hostility.MissingContentType, "no content type", Send(verb, path, content: Bytes("{}"u8.ToArray(), null)), HttpStatusCode.UnsupportedMediaType, ClientMessages.Http.JsonRequired);
        yield return Case(Hostility.WrongShape, "an array", Send(verb, path, content: Json("[]")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.WrongShape, "a string", Send(verb, path, content: Json("\"ana@example.com\"")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.WrongShape, "numbers for strings", Send(verb, path, content: Json("""{"email":1,"password":2,"first_name":3}""")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.WrongShape, "an object for a string", Send(verb, path, content: Json("""{"email":{"$ne":null}}""")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.Nulls, "the JSON null", Send(verb, path, content: Json("null")), HttpStatusCode.BadRequest, Malformed);
        yield return Case(Hostility.OversizedField, "a field past the body limit", Send(verb, path, content: Json($$"""{"email":"{{new string('a', 100_000)}}"}""")), HttpStatusCode.RequestEntityTooLarge, TooLarge);
    }

    /// <summary>The <c>{video_id}</c> of a route: not a UUID (404 no route) or nobody's (404 no video).</summary>
    private static IEnumerable<HostileCase> VideoIds(HttpMethod method, string template, bool owner)
    {
        Func<HostileScene, AuthenticationHeaderValue> token = owner ? s => s.Owner : s => s.Voter;
        foreach (var (name, id) in new[] { ("not a UUID", "not-a-guid"), ("a path climbing out", "..%2F..%2Fetc%2Fpasswd"), ("a 5,000-character id", new string('9', 5000)), ("a UUID with one character too many", Unknown + "0") })
        {
            yield return Case(Hostility.BadRouteValue, name, s => Task.FromResult(Send(method, string.Format(template, id), token(s))), HttpStatusCode.NotFound, NoRoute);
        }

        foreach (var (name, id) in new[] { ("an unknown UUID", Unknown), ("the nil UUID", Guid.Empty.ToString()), ("an unknown UUID in braces", $"{{{Unknown}}}") })
        {
            yield return Case(Hostility.UnknownId, name, s => Task.FromResult(Send(method, string.Format(template, id), token(s))), HttpStatusCode.NotFound, ClientMessages.Videos.NotFound);
        }
    }

    /// <summary>limit, offset and city of the public lists.</summary>
    private static IEnumerable<HostileCase> Paging(string path)
    {
        string[] bad =
        [
            "limit=abc", "limit=-1", "limit=1e3", "limit=99999999999999999999", "limit=1&limit=2", "limit=", "limit=%D9%A1", "limit= 5", "city=Bogot%00",
            "offset=1.5", "offset=%00", "offset=2147483648",
        ];
        (string Name, string Query)[] queries =
        [
            .. bad.Select(query => (query, query)),
            ($"a city of {ShowcasePageRules.MaxCityLength + 1} characters", $"city={new string('x', ShowcasePageRules.MaxCityLength + 1)}"),
            ("a city of 20,000 characters", $"city={new string('x', 20_000)}"),
        ];
        return queries.Select(q => Case(Hostility.BadQuery, q.Name, Get($"{path}?{q.Query}"), HttpStatusCode.BadRequest, ClientMessages.Queries.InvalidParameter));
    }

    private static HostileRoute UploadRoute()
    {
        const string path = "/api/videos/upload";
        var notMultipart = ClientMessages.Upload.NotMultipart;
        var notMp4 = ClientMessages.Upload.NotMp4;
        var tooLarge = ClientMessages.Upload.TooLarge(HostileApiFactory.UploadMaxBytes);
        var over = (int)HostileApiFactory.UploadMaxBytes + 1;
        static Func<HostileScene, Task<HttpRequestMessage>> Upload(Func<HttpContent> content) => s => Task.FromResult(Send(HttpMethod.Post, path, s.Owner, content()));
        static Func<HostileScene, Task<HttpRequestMessage>> Crafted(Func<Task<string>> file) =>
            async s => Send(HttpMethod.Post, path, s.Owner, Form(await File.ReadAllBytesAsync(await file())));

        HostileCase[] cases =
        [
            Case(Hostility.HugeDeclaredBody, "a file one byte over the limit", Upload(() => Form(new byte[over])), HttpStatusCode.BadRequest, tooLarge),
            Case(Hostility.HugeStreamedBody, "a file over the limit sent in chunks", Upload(() => new ChunkedContent(over + 1024, $"multipart/form-data; boundary={Boundary}", FormPrefix)), HttpStatusCode.BadRequest, tooLarge),
            Case(Hostility.HugeDeclaredBody, "a 1 MB JSON body", Upload(() => new ByteArrayContent(new byte[HugeBytes]) { Headers = { ContentType = new("application/json") } }), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.WrongContentType, "JSON", Upload(() => Json("""{"title":"x","video_file":"AAAA"}""")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MissingContentType, "no content type", Upload(() => Bytes(new byte[100], null)), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MalformedBody, "multipart without a boundary", Upload(() => Bytes(new byte[100], "multipart/form-data")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MalformedBody, "a boundary that never comes", Upload(() => Bytes(new byte[4096], $"multipart/form-data; boundary={Boundary}")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MalformedBody, "a file part cut before its end", Upload(() => Bytes([.. FormPrefix, .. new byte[4096]], $"multipart/form-data; boundary={Boundary}")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MalformedBody, "a 71-character boundary", Upload(() => Bytes(new byte[100], $"multipart/form-data; boundary={new string('b', 71)}")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MalformedBody, "a 20,000-character boundary", Upload(() => Bytes(new byte[100], $"multipart/form-data; boundary={new string('b', 20_000)}")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.MalformedBody, "a 100,000-character boundary", Upload(() => Bytes(new byte[100], $"multipart/form-data; boundary={new string('b', 100_000)}")), HttpStatusCode.BadRequest, notMultipart),
            Case(Hostility.OversizedField, "a 1 MB title", async s => Send(HttpMethod.Post, path, s.Owner, Form(await File.ReadAllBytesAsync(await Clip()), new string('t', HugeBytes))), HttpStatusCode.BadRequest, ClientMessages.Upload.TitleLength),
            Case(Hostility.MalformedBody, "a NUL character in the title", async s => Send(HttpMethod.Post, path, s.Owner, Form(await File.ReadAllBytesAsync(await Clip()), "Jugada\0")), HttpStatusCode.BadRequest, Malformed),
            Case(Hostility.OversizedField, "a 201-character title", async s => Send(HttpMethod.Post, path, s.Owner, Form(await File.ReadAllBytesAsync(await Clip()), new string('t', Video.MaxTitleLength + 1))), HttpStatusCode.BadRequest, ClientMessages.Upload.TitleLength),
            Case(Hostility.CraftedFile, "moov claims 4 GB", Crafted(() => WriteAsync(moovSize: uint.MaxValue)), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "moov claims less than its header", Crafted(() => WriteAsync(moovSize: 4)), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a box of 2^63 bytes (64-bit size)", Crafted(() => WriteAsync(tail: Header("free", 1, 1UL << 63))), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "an ftyp of size 0 (to the end of the file)", Crafted(async () => await Raw([.. Header("ftyp", 0), .. new byte[64 * 1024]])), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a moov cut in half", Crafted(async () => await VideoFixtures.TruncatedCopyAsync(await WriteAsync(), 0.8)), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a 64-bit duration of 2^63", Crafted(() => WriteAsync(version: 1, movieDuration: 1UL << 63)), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a 64-bit duration of 2^64 - 2", Crafted(() => WriteAsync(version: 1, movieDuration: ulong.MaxValue - 1, mediaDuration: ulong.MaxValue - 1)), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a track nested 200,000 deep", Crafted(() => WriteAsync(trakDepth: 200_000)), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a million tiny boxes", Crafted(() => WriteAsync(moovExtra: Enumerable.Repeat(Box("free"), 1_000_000).ToArray())), HttpStatusCode.BadRequest, notMp4),
            Case(Hostility.CraftedFile, "a thousand tracks of a thousand boxes", Crafted(() => WriteAsync(moovExtra: Enumerable.Repeat(Box("trak", Enumerable.Repeat(Box("free"), 1000).ToArray()), 1000).ToArray())), HttpStatusCode.BadRequest, notMp4),
        ];
        return Route(
            "POST /api/videos/upload", path, async s => Send(HttpMethod.Post, path, s.Owner, Form(await File.ReadAllBytesAsync(await Clip()))), HttpStatusCode.Created, cases, ownBodyLimit: true);
    }

    private static HostileRoute FilesRoute()
    {
        var denied = ClientMessages.Http.InvalidDownloadLink;
        return Route("GET /files/{**key}", "/files/hostile/clip.mp4", s => Get(SignedLink(s)), HttpStatusCode.OK,
            [
                Case(Hostility.BadRouteValue, "a path climbing out", s => Task.FromResult(Get(SignedLink(s, "..%2F..%2F..%2Fetc%2Fpasswd"))), HttpStatusCode.Forbidden, denied),
                Case(Hostility.BadRouteValue, "a key that does not exist", s => Task.FromResult(Get(SignedLink(s, "hostile/none.mp4"))), HttpStatusCode.Forbidden, denied),
                Case(Hostility.BadQuery, "no signature", Get("/files/hostile/clip.mp4?expires=9999999999"), HttpStatusCode.Forbidden, denied),
                Case(Hostility.BadQuery, "a forged signature", Get("/files/hostile/clip.mp4?expires=9999999999&signature=AAAA"), HttpStatusCode.Forbidden, denied),
                Case(Hostility.BadQuery, "expires that overflows", Get("/files/hostile/clip.mp4?expires=99999999999999999999&signature=AAAA"), HttpStatusCode.BadRequest, Malformed),
                Case(Hostility.BadQuery, "expires that is not a number", Get("/files/hostile/clip.mp4?expires=tomorrow&signature=AAAA"), HttpStatusCode.BadRequest, Malformed),
            ]);
    }

    /// <summary>A signed link of the local storage to <paramref name="key"/> (its file, for the default key, written here).</summary>
    private static string SignedLink(HostileScene scene, string key = "hostile/clip.mp4")
    {
        var file = Path.Combine(scene.Factory.StorageRoot, "hostile", "clip.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (!File.Exists(file))
        {
            File.WriteAllBytes(file, new byte[1024]);
        }

        return scene.Factory.Services.GetRequiredService<LocalFileStorage>().GetDownloadUrl(key).PathAndQuery;
    }

    private static HostileCase Case(Hostility kind, string name, HttpRequestMessage request, HttpStatusCode status, params string[] details) =>
        Case(kind, name, _ => CloneAsync(request), status, details);

    private static HostileCase Case(Hostility kind, string name, Func<HostileScene, Task<HttpRequestMessage>> request, HttpStatusCode status, params string[] details) =>
        new(name, kind, request, status, details);

    private static Task<string> Clip() => VideoFixtures.Mp4Async(1920, 1080, 21);

    private static async Task<string> Raw(byte[] bytes)
    {
        var path = VideoFixtures.NewScratchPath();
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static MultipartFormDataContent Form(byte[] file, string title = "Mi mejor jugada") =>
        new() { { new StringContent(title), "title" }, { new ByteArrayContent(file) { Headers = { ContentType = new("video/mp4") } }, "video_file", "clip.mp4" } };

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private static string SignUp(string email, string firstName = "Ana", string password = ApiClient.Password) =>
        System.Text.Json.JsonSerializer.Serialize(ApiClient.SignUpBody(email, firstName: firstName), ApiClient.Json)
            .Replace($"\"{ApiClient.Password}\"", $"\"{password}\"", StringComparison.Ordinal);

    private static HttpRequestMessage Get(string path, AuthenticationHeaderValue? token = null) => Send(HttpMethod.Get, path, token);

    private static HttpRequestMessage Post(string path, HttpContent content) => Send(HttpMethod.Post, path, content: content);

    private static HttpRequestMessage Send(HttpMethod method, string path, AuthenticationHeaderValue? token = null, HttpContent? content = null) =>
        new(method, path) { Content = content, Headers = { Authorization = token } };

    /// <summary>A request can be sent once; a case's fixed request is copied for each send (its content read into memory).</summary>
    private static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Headers = { Authorization = request.Headers.Authorization } };
        if (request.Content is ChunkedContent chunked)
        {
            copy.Content = chunked.Copy();
        }
        else if (request.Content is { } content)
        {
            copy.Content = new ByteArrayContent(await content.ReadAsByteArrayAsync());
            foreach (var header in content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }

    /// <summary>A body of unknown length (chunked): <paramref name="prefix"/> then zeros, <paramref name="length"/> bytes in all.</summary>
    public sealed class ChunkedContent : HttpContent
    {
        private readonly int length;
        private readonly string contentType;
        private readonly byte[] prefix;

        public ChunkedContent(int length, string contentType, byte[]? prefix = null)
        {
            (this.length, this.contentType, this.prefix) = (length, contentType, prefix ?? []);
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        public ChunkedContent Copy() => new(length, contentType, prefix);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            var chunk = new byte[16 * 1024];
            for (var written = prefix.Length; written < length; written += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, length - written)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
