using System.Net;
using System.Net.Http.Json;
using System.Text;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Auth;

public sealed class AuthEndpointsTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task SignUp_ValidBody_Returns201WithMessageAndUserId()
    {
        var response = await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(ApiClient.NewEmail()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(["message", "user_id"], body.Select(p => p.Key).Order());
        Assert.Equal("Usuario creado exitosamente.", (string?)body["message"]);
        var id = Guid.Parse((string)body["user_id"]!);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE id = $1", id));
    }

    [Fact]
    public async Task SignUp_StoresOnlyASaltedSlowHash()
    {
        var email = ApiClient.NewEmail();
        var other = ApiClient.NewEmail();
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(other));

        var hash = await factory.Database.ScalarAsync<string>("SELECT password_hash FROM users WHERE email = $1", email);
        var otherHash = await factory.Database.ScalarAsync<string>("SELECT password_hash FROM users WHERE email = $1", other);

        Assert.NotNull(hash);
        Assert.DoesNotContain(ApiClient.Password, hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, otherHash); // same password, different salt
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]); // Identity v3 format: PBKDF2-HMAC-SHA512
    }

    [Fact]
    public async Task SignUp_DuplicateEmailInAnyCase_Returns400()
    {
        var email = ApiClient.NewEmail();
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));

        var response = await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email.ToUpperInvariant()));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El email ya está registrado.");
    }

    [Fact]
    public async Task SignUp_ConcurrentSameEmail_CreatesOneUser()
    {
        var email = ApiClient.NewEmail();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.AssertProblemAsync(HttpStatusCode.BadRequest, "El email ya está registrado.");
        }

        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE email = $1", email));
    }

    [Fact]
    public async Task SignUp_PasswordsDiffer_Returns400()
    {
        var body = new
        {
            first_name = "Ana",
            last_name = "Gómez",
            email = ApiClient.NewEmail(),
            password1 = "s3cret-pass",
            password2 = "s3cret-pasS",
            city = "Bogotá",
            country = "Colombia",
        };

        var response = await client.PostAsJsonAsync("/api/auth/signup", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Las contraseñas no coinciden.");
    }

    [Fact]
    public async Task SignUp_MissingField_Returns400NamingTheField()
    {
        var body = new { last_name = "Gómez", email = ApiClient.NewEmail(), password1 = "s3cret-pass", password2 = "s3cret-pass", city = "Cali", country = "Colombia" };

        var response = await client.PostAsJsonAsync("/api/auth/signup", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "El campo first_name es obligatorio.");
        Assert.Equal("El campo first_name es obligatorio.", (string?)problem["errors"]!["first_name"]![0]);
    }

    [Theory]
    [InlineData("ana.example.com", "El email no tiene un formato válido.")]
    [InlineData("", "El campo email es obligatorio.")]
    public async Task SignUp_BadEmail_Returns400(string email, string detail)
    {
        var response = await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task SignUp_ShortPassword_Returns400()
    {
        var body = new { first_name = "A", last_name = "B", email = ApiClient.NewEmail(), password1 = "1234567", password2 = "1234567", city = "Cali", country = "Colombia" };

        var response = await client.PostAsJsonAsync("/api/auth/signup", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "La contraseña debe tener al menos 8 caracteres.");
    }

    [Theory]
    [InlineData("{\"first_name\": \"Ana\",", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("[1,2,3]", "application/json")]
    [InlineData("{\"first_name\": 42}", "application/json")]
    public async Task SignUp_MalformedBody_Returns400ProblemDetails(string content, string mediaType)
    {
        var response = await client.PostAsync("/api/auth/signup", new StringContent(content, Encoding.UTF8, mediaType));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "La solicitud no es válida.");
    }

    [Fact]
    public async Task SignUp_FormInsteadOfJson_Returns415ProblemDetails()
    {
        var response = await client.PostAsync("/api/auth/signup", new FormUrlEncodedContent([new("first_name", "Ana")]));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "El cuerpo debe enviarse como application/json.");
    }

    [Fact]
    public async Task LogIn_RightCredentials_Returns200WithBearerToken()
    {
        var email = ApiClient.NewEmail();
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));

        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = email.ToUpperInvariant(), password = ApiClient.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(["access_token", "expires_in", "token_type"], body.Select(p => p.Key).Order());
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.Equal(3, ((string)body["access_token"]!).Split('.').Length);
    }

    [Fact]
    public async Task LogIn_WrongPassword_Returns401()
    {
        var email = ApiClient.NewEmail();
        await client.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email));

        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "wrong-password" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "Credenciales inválidas.");
    }

    [Fact]
    public async Task LogIn_UnknownEmail_Returns401WithSameMessage()
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiClient.NewEmail(), password = ApiClient.Password });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "Credenciales inválidas.");
    }

    [Fact]
    public async Task LogIn_MissingFields_Returns401()
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "Credenciales inválidas.");
    }

    [Fact]
    public async Task LogIn_MalformedJson_Returns400()
    {
        var response = await client.PostAsync("/api/auth/login", new StringContent("{email:", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "La solicitud no es válida.");
    }
}
