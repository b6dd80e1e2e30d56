using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Anb.IntegrationTests.Persistence;

/// <summary>The showcase's readers (plain and coalescing) on a migrated test database, wired as the API wires them.</summary>
internal static class ShowcaseServices
{
    public static async Task<ServiceProvider> CreateAsync(TestDatabase database)
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddDbContextPool<AnbDbContext>(o => PersistenceSetup.Configure(o, database.ConnectionString))
            .AddSingleton(_ => NpgsqlDataSource.Create(new DatabaseOptions { ConnectionString = database.ConnectionString }.BuildConnectionString()))
            .AddSingleton<ShowcaseReader>()
            .AddSingleton<CoalescingShowcaseReader>()
            .BuildServiceProvider();
        await DatabaseMigrator.MigrateAsync(services);
        return services;
    }
}
