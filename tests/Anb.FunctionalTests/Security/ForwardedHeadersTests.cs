using System.Net;
using System.Net.Http.Json;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Security;

/// <summary>X-Forwarded-For and X-Forwarded-Proto count only from the configured proxies' networks.</summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.Host host) : IClassFixture<ForwardedHeadersTests.Host>
{
    private const string TrustedProxy = "10.1.2.3";

    [Fact]
    public async Task LogInLimit_FromAnUntrustedPeer_IgnoresItsForwardedFor()
    {
        var spoofer = host.ClientFrom("203.0.113.50");
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(spoofer, forwardedFor: "198.51.100.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(spoofer, forwardedFor: "198.51.100.2")).StatusCode);

        await (await LogInAsync(spoofer, forwardedFor: "198.51.100.3")).AssertTooManyRequestsAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(host.ClientFrom("203.0.113.51"), forwardedFor: null)).StatusCode);
    }

    [Fact]
    public async Task LogInLimit_BehindATrustedProxy_CountsEachForwardedClient()
    {
        var proxy = host.ClientFrom(TrustedProxy);
        foreach (var client in new[] { "198.51.100.11", "198.51.100.12", "198.51.100.13", "198.51.100.11" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(proxy, forwardedFor: client)).StatusCode);
        }

        // A client's own X-Forwarded-For reaches the proxy, which appends the address it saw: the last one counts.
        await (await LogInAsync(proxy, forwardedFor: "192.0.2.99, 198.51.100.11")).AssertTooManyRequestsAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(proxy, forwardedFor: "198.51.100.11, 198.51.100.14")).StatusCode);
    }

    [Fact]
    public async Task Hsts_OnlyWhenATrustedProxySaysTheRequestCameOverHttps()
    {
        Assert.True((await HealthAsync(TrustedProxy, "https")).Headers.Contains("Strict-Transport-Security"));
        Assert.False((await HealthAsync(TrustedProxy, "http")).Headers.Contains("Strict-Transport-Security"));
        Assert.False((await HealthAsync("203.0.113.60", "https")).Headers.Contains("Strict-Transport-Security"));
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = ApiClient.NewEmail(), password = "not-the-password" }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> HealthAsync(string peer, string forwardedProto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var response = await host.ClientFrom(peer).SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public sealed class Host : LimitedApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [
            new("ForwardedHeaders:KnownNetworks", "10.0.0.0/8"),
            new("RateLimits:LogInsPerMinute", "2"),
        ];
    }
}
