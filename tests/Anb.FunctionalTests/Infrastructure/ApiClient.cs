using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anb.FunctionalTests.Infrastructure;

/// <summary>Helpers that speak the contract (snake_case JSON, problem details) to the API under test.</summary>
public static class ApiClient
{
    public const string Password = "s3cret-pass";

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static object SignUpBody(string email, string city = "Bogotá", string firstName = "Ana", string lastName = "Gómez") => new
    {
        first_name = firstName,
        last_name = lastName,
        email,
        password1 = Password,
        password2 = Password,
        city,
        country = "Colombia",
    };

    public static string NewEmail() => $"player-{Guid.NewGuid():N}@example.com";

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)
        ?? throw new InvalidOperationException("The body is not a JSON object.");

    public static async Task<JsonArray> ReadArrayAsync(this HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonArray)
        ?? throw new InvalidOperationException("The body is not a JSON array.");

    /// <summary>Asserts a problem details answer with the given status and detail.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? detail = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (JsonObject)JsonNode.Parse(body)!;
        Assert.Equal((int)status, (int)problem["status"]!);
        if (detail is not null)
        {
            Assert.Equal(detail, (string?)problem["detail"]);
        }

        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Signs up a new player and logs in; returns a client that sends the player's token.</summary>
    public static async Task<(HttpClient Client, Guid UserId)> SignUpAndLogInAsync(
        this HttpClient anonymous, Func<HttpClient> createClient, string city = "Bogotá", string firstName = "Ana")
    {
        var email = NewEmail();
        var signUp = await anonymous.PostAsJsonAsync("/api/auth/signup", SignUpBody(email, city, firstName));
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var userId = Guid.Parse((string)(await signUp.ReadObjectAsync())["user_id"]!);
        var token = await anonymous.LogInAsync(email);
        var client = createClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, userId);
    }

    public static async Task<string> LogInAsync(this HttpClient client, string email, string password = Password)
    {
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (string)(await login.ReadObjectAsync())["access_token"]!;
    }
}
