using System.Net;
using System.Net.Http.Json;
using Anb.FunctionalTests.Infrastructure;
using Anb.FunctionalTests.Videos.LeastPrivilege;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Telemetry;

/// <summary>The real API process (telemetry off) writes JSON lines whose scopes carry the request's trace and span ids.</summary>
public sealed class ApiLogLinesTests
{
    [Fact]
    public async Task ApiProcess_LogLinesOfARequest_CarryItsTraceAndSpanIds()
    {
        await using var database = await TestDatabase.CreateAsync();
        var storage = Path.Combine(Path.GetTempPath(), "anb-tests", $"storage-{Guid.NewGuid():N}");
        try
        {
            await using var api = await ApiHostProcess.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Database"] = database.ConnectionString,
                ["Jwt__SigningKey"] = AnbApiFactory.SigningKey,
                ["Storage__Provider"] = "Local",
                ["Storage__Local__RootPath"] = storage,
                ["Queue__Provider"] = "Hangfire",
            });
            var (traceId, traceParent) = TraceParents.New();
            using var client = api.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
            {
                Content = JsonContent.Create(new { email = "nobody@example.com", password = "not-the-password" }),
            };
            request.Headers.Add(TraceParents.Header, traceParent);

            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!TraceParents.LinesWith(api.Output, traceId).Any(l => l.Contains("LogInCommand refused", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"No log line of the request carries trace {traceId}:\n{api.Output}");
                await Task.Delay(100);
            }

            Assert.All(TraceParents.LinesWith(api.Output, traceId), l => Assert.Contains("\"SpanId\":\"", l, StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(storage))
            {
                Directory.Delete(storage, recursive: true);
            }
        }
    }
}
