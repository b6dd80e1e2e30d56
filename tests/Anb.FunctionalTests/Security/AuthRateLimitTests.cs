using System.Net;
using System.Net.Http.Json;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Security;

/// <summary>Sign-up and log-in per client IP, and the per-account back-off after failed log-ins.</summary>
public sealed class AuthRateLimitTests(AuthRateLimitTests.Host host) : IClassFixture<AuthRateLimitTests.Host>
{
    private const string WrongPassword = "not-the-password";

    [Fact]
    public async Task SignUp_BeyondTheLimitFromOneAddress_Gets429_WhileAnotherAddressSignsUp()
    {
        var client = host.ClientFrom("203.0.113.1");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).StatusCode);
        }

        await (await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).AssertTooManyRequestsAsync();

        var other = host.ClientFrom("203.0.113.2");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).StatusCode);
    }

    [Fact]
    public async Task SignUp_FromIPv6_CountsTheWhole64AsOneClient_AndAnother64Apart()
    {
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await host.ClientFrom($"2001:db8:aa:1::{i}").PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).StatusCode);
        }

        await (await host.ClientFrom("2001:db8:aa:1:ffff:ffff:ffff:ffff").PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).AssertTooManyRequestsAsync();
        Assert.Equal(HttpStatusCode.Created, (await host.ClientFrom("2001:db8:aa:2::1").PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).StatusCode);
    }

    [Fact]
    public async Task SignUp_FromAnIPv4MappedAddress_CountsAsThatIPv4Address()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await host.ClientFrom("::ffff:198.51.100.7").PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).StatusCode);
        }

        await (await host.ClientFrom("198.51.100.7").PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()))).AssertTooManyRequestsAsync();
    }

    [Fact]
    public async Task LogIn_BeyondTheLimitFromOneAddress_Gets429_WhileAnotherAddressLogsIn()
    {
        var email = await SignUpAsync();
        var client = host.ClientFrom("203.0.113.11");
        for (var i = 0; i < 5; i++)
        {
            await client.LogInAsync(email);
        }

        await (await LogInAsync(client, email, ApiClient.Password)).AssertTooManyRequestsAsync();
        await host.ClientFrom("203.0.113.12").LogInAsync(email);
    }

    [Fact]
    public async Task LogIn_AfterRepeatedFailures_BlocksThatAccountFromAnyAddress_NotAnother()
    {
        var (target, bystander) = (await SignUpAsync(), await SignUpAsync());
        var client = host.ClientFrom("203.0.113.21");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(client, target, WrongPassword)).StatusCode);
        }

        // The right password too is refused while the account waits; the wait is the first step, 60 s.
        await (await LogInAsync(client, target, ApiClient.Password)).AssertTooManyRequestsAsync(minSeconds: 59, maxSeconds: 60);
        await (await LogInAsync(host.ClientFrom("203.0.113.22"), target.ToUpperInvariant(), ApiClient.Password)).AssertTooManyRequestsAsync();
        await client.LogInAsync(bystander);
    }

    [Fact]
    public async Task LogIn_Success_ClearsTheAccountsFailures()
    {
        var email = await SignUpAsync();
        var client = host.ClientFrom("203.0.113.31");

        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(client, email, WrongPassword)).StatusCode);
        await client.LogInAsync(email);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(client, email, WrongPassword)).StatusCode);
        await client.LogInAsync(email);
    }

    private async Task<string> SignUpAsync()
    {
        var email = ApiClient.NewEmail();
        var response = await host.CreateClient().PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email)); // no peer: no limit by address
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return email;
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { email, password });

    public sealed class Host : LimitedApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [
            new("RateLimits:SignUpsPerMinute", "3"),
            new("RateLimits:LogInsPerMinute", "5"),
            new("RateLimits:LogInFreeFailures", "2"),
            new("RateLimits:LogInBackoffSeconds", "60"),
            new("RateLimits:LogInBackoffMaxSeconds", "60"),
        ];
    }
}
