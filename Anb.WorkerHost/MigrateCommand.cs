using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace Anb.WorkerHost;

/// <summary>
/// <c>migrate</c>: applies the pending migrations and gives <c>Database:ApplicationRole</c> data rights, then
/// exits. On AWS, <c>aws/deploy.sh</c> runs it as a one-off ECS task with the master credentials and waits for
/// it before updating the services, which do not migrate themselves (<c>Database:MigrateAtStartUp</c> false).
/// Exit codes: 0 done, 2 usage or configuration error, 1 any other failure.
/// </summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 0)
        {
            await Console.Error.WriteLineAsync("usage: dotnet Anb.WorkerHost.dll migrate");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders().AddJsonConsole(o => o.UseUtcTimestamp = true);
        builder.Services.AddInfrastructure(builder.Configuration);
        using var host = builder.Build();
        try
        {
            _ = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            await DatabaseMigrator.MigrateAsync(host.Services);
            await DatabaseMigrator.GrantApplicationRoleAsync(host.Services);
            Console.WriteLine("migrate: done");
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"migrate: invalid configuration: {ex.Message}");
            return 2;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"migrate: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }
}
