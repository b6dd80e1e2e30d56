using System.Net;
using Anb.FunctionalTests.Infrastructure;
using Anb.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Operations;

/// <summary>
/// What the API's start-up proves (migrations applied, liveness and readiness with their checks) and the
/// operational routes.
/// </summary>
public sealed class OperationsTests(AnbApiFactory factory) : IClassFixture<AnbApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Health_AfterStartUp_Answers200HealthyWithoutCheckingDependencies()
    {
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"healthy\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartUp_AppliesEveryMigrationBeforeServing()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnbDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Ready_DatabaseAndStorageReachable_Answers200WithBothChecksHealthy()
    {
        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("healthy", (string?)body["status"]);
        Assert.Equal(
            [("database", "healthy"), ("storage", "healthy")],
            body["checks"]!.AsObject().Select(c => (c.Key, (string?)c.Value)).OrderBy(c => c.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ready_StorageRootRemovedWhileRunning_Answers503WithStorageUnhealthyAndDatabaseHealthy()
    {
        var root = Path.Combine(Path.GetTempPath(), "anb-tests", $"ready-{Guid.NewGuid():N}");
        using var host = factory.WithWebHostBuilder(b => b.UseSetting("Storage:Local:RootPath", root));
        var readyClient = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await readyClient.GetAsync("/health/ready")).StatusCode);
        Directory.Delete(root, recursive: true);

        var response = await readyClient.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("unhealthy", (string?)body["status"]);
        Assert.Equal("healthy", (string?)body["checks"]!["database"]);
        Assert.Equal("unhealthy", (string?)body["checks"]!["storage"]);
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
