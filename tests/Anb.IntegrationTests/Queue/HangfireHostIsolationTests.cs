using Anb.Application;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Anb.IntegrationTests.Queue;

/// <summary>
/// Two hosts in one process (as the test suites run them) each keep their own Hangfire storage and job
/// activator, whatever order their Hangfire configurations run in. Hangfire's defaults are process-wide: a host
/// configured before another one used to get the other's storage, and its server ran jobs with the other's services.
/// </summary>
public sealed class HangfireHostIsolationTests : IAsyncLifetime
{
    private TestDatabase first = null!;
    private TestDatabase second = null!;

    public async Task InitializeAsync()
    {
        first = await TestDatabase.CreateAsync();
        second = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task TwoHosts_ConfiguredOneAfterTheOther_EachUseTheirOwnStorageAndServices()
    {
        using var hostA = Build(first.ConnectionString);
        using var hostB = Build(second.ConnectionString);

        // A's Hangfire configuration runs first, B's after it; only then does A build its storage and activator.
        hostA.Services.GetRequiredService<IGlobalConfiguration>();
        hostB.Services.GetRequiredService<IGlobalConfiguration>();
        var storageA = hostA.Services.GetRequiredService<JobStorage>();
        var activatorA = hostA.Services.GetRequiredService<JobActivator>();
        var storageB = hostB.Services.GetRequiredService<JobStorage>();

        Assert.NotSame(storageB, storageA);
        Assert.NotSame(hostB.Services.GetRequiredService<JobActivator>(), activatorA);
        using var scope = activatorA.BeginScope((JobActivatorContext)null!);
        var db = (AnbDbContext)scope.Resolve(typeof(AnbDbContext));
        Assert.Equal(Database(first.ConnectionString), db.Database.GetDbConnection().Database);
    }

    private static IHost Build(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["Storage:Provider"] = "Local",
            ["Storage:Local:RootPath"] = Path.Combine(Path.GetTempPath(), "anb-tests", $"isolation-{Guid.NewGuid():N}"),
            ["Queue:Provider"] = "Hangfire",
        });
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddWorkerInfrastructure(builder.Configuration);
        return builder.Build();
    }

    private static string Database(string connectionString) => new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
}
