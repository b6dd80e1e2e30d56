using System.Net;
using System.Net.Http.Json;
using Anb.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Anb.FunctionalTests.Auth;

/// <summary>The API refuses to start outside Development without a strong signing key.</summary>
public sealed class JwtConfigurationTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    [Theory]
    [InlineData("Production", "")]
    [InlineData("Production", "0123456789abcdef0123456789abcde")] // 31 bytes
    [InlineData("Staging", "")]
    public void Start_OutsideDevelopmentWithoutStrongKey_Fails(string environment, string key)
    {
        using var host = WithSettings(environment, key);

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(error));
        Assert.Contains("Jwt:SigningKey", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OutsideDevelopmentWith32ByteKey_Serves()
    {
        using var host = WithSettings("Production", "0123456789abcdef0123456789abcdef");

        var response = await host.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_DevelopmentWithoutKey_UsesEphemeralKeyAndIssuesTokens()
    {
        using var host = WithSettings("Development", "");
        var client = host.CreateClient();
        var email = ApiClient.NewEmail();
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));

        var token = await client.LogInAsync(email);

        Assert.False(string.IsNullOrEmpty(token));
    }

    [Fact]
    public async Task LogIn_ConfiguredLifetime_IsReported()
    {
        using var host = factory.WithWebHostBuilder(b => b.UseSetting("Jwt:LifetimeSeconds", "120"));
        var client = host.CreateClient();
        var email = ApiClient.NewEmail();
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));

        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = ApiClient.Password });

        Assert.Equal(120, (int)(await response.ReadObjectAsync())["expires_in"]!);
    }

    private WebApplicationFactory<Program> WithSettings(string environment, string key) =>
        factory.WithWebHostBuilder(b => b.UseEnvironment(environment).UseSetting("Jwt:SigningKey", key));

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
}
