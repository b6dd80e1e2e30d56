using System.Net;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Operations;

public sealed class OperationsTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Health_ReturnsHealthy()
    {
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"healthy\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_WithDatabase_ReturnsHealthy()
    {
        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)(await response.ReadObjectAsync())["status"]);
    }

    [Fact]
    public async Task OpenApi_DescribesTheContractRoutes()
    {
        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.ReadObjectAsync())["paths"]!.AsObject();
        Assert.Contains("/api/auth/signup", paths.Select(p => p.Key));
        Assert.Contains("/api/auth/login", paths.Select(p => p.Key));
    }

    [Fact]
    public async Task Docs_ServesInteractiveUi()
    {
        var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        var response = await client.GetAsync("/api/nothing-here");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Returns405ProblemDetails()
    {
        var response = await client.GetAsync("/api/auth/signup");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}
