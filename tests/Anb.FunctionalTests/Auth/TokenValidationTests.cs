using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Anb.FunctionalTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Anb.FunctionalTests.Auth;

/// <summary>Private routes accept only unexpired tokens signed with our key.</summary>
public sealed class TokenValidationTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private const string PrivateRoute = "/api/videos";

    [Fact]
    public async Task PrivateRoute_ValidToken_Returns200()
    {
        var (client, _) = await factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);

        var response = await client.GetAsync(PrivateRoute);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PrivateRoute_NoToken_Returns401ProblemDetails()
    {
        var response = await factory.CreateClient().GetAsync(PrivateRoute);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "Se requiere un token de acceso válido.");
    }

    [Fact]
    public async Task PrivateRoute_AlgNone_Returns401()
    {
        var header = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64Url($"{{\"sub\":\"{Guid.NewGuid()}\",\"iss\":\"anb-rising-stars\",\"aud\":\"anb-rising-stars\",\"exp\":{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}");

        var response = await SendWithToken($"{header}.{payload}.");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PrivateRoute_ForgedSignature_Returns401()
    {
        var forged = CreateToken("another-key-that-is-long-enough-0123456789", DateTime.UtcNow.AddHours(1));

        var response = await SendWithToken(forged);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PrivateRoute_TamperedPayload_Returns401()
    {
        var valid = CreateToken(AnbApiFactory.SigningKey, DateTime.UtcNow.AddHours(1)).Split('.');
        var otherPayload = CreateToken(AnbApiFactory.SigningKey, DateTime.UtcNow.AddHours(2)).Split('.')[1];

        var response = await SendWithToken($"{valid[0]}.{otherPayload}.{valid[2]}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PrivateRoute_ExpiredToken_Returns401()
    {
        var expired = CreateToken(AnbApiFactory.SigningKey, DateTime.UtcNow.AddMinutes(-5));

        var response = await SendWithToken(expired);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PrivateRoute_TokenSignedWithOurKey_IsAccepted()
    {
        // Guards the tests above: the same construction with the right key and lifetime passes.
        var (_, userId) = await factory.CreateClient().SignUpAndLogInAsync(factory.CreateClient);

        var response = await SendWithToken(CreateToken(AnbApiFactory.SigningKey, DateTime.UtcNow.AddHours(1), userId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendWithToken(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(PrivateRoute);
    }

    private static string CreateToken(string key, DateTime expires, Guid? subject = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "anb-rising-stars",
            Audience = "anb-rising-stars",
            NotBefore = expires.AddHours(-2),
            IssuedAt = expires.AddHours(-2),
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", (subject ?? Guid.NewGuid()).ToString())]),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
