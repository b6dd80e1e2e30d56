using Anb.Application.Videos.ProcessVideo;
using Anb.Infrastructure.Persistence;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Queue;

internal static class HangfireSetup
{
    public const string SchemaName = "hangfire";

    /// <summary>Hangfire storage on the application's PostgreSQL database (client side: enqueue only).</summary>
    public static void AddHangfireStorage(this IServiceCollection services)
    {
        services.AddOptions<HangfireQueueOptions>().BindConfiguration(HangfireQueueOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHangfire((sp, config) =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var queue = sp.GetRequiredService<IOptions<HangfireQueueOptions>>().Value;
            var processing = sp.GetRequiredService<IOptions<ProcessingOptions>>().Value;
            var connectionString = PersistenceSetup.BuildConnectionString(
                configuration.GetConnectionString(PersistenceSetup.ConnectionStringName), configuration["Database:Password"]);
            config
                .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>()))
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(connectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = SchemaName,
                        PrepareSchemaIfNecessary = true,
                        QueuePollInterval = TimeSpan.FromMilliseconds(queue.PollIntervalMs),
                        EnableLongPolling = queue.LongPolling,
                        UseSlidingInvisibilityTimeout = true,
                    })
                .UseFilter(new AutomaticRetryAttribute
                {
                    Attempts = Math.Max(0, processing.MaxAttempts - 1),
                    DelayInSecondsByAttemptFunc = attempt => (int)RetryBackoff.After((int)attempt, processing.RetryBaseDelaySeconds).TotalSeconds,
                    OnAttemptsExceeded = AttemptsExceededAction.Fail,
                });
        });
        services.AddScoped<ProcessVideoJob>();
    }

    /// <summary>The Hangfire server that runs processing jobs (worker host only).</summary>
    public static void AddHangfireWorker(this IServiceCollection services) =>
        services.AddHangfireServer((sp, server) =>
        {
            var queue = sp.GetRequiredService<IOptions<HangfireQueueOptions>>().Value;
            server.WorkerCount = queue.WorkerCount;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(queue.SchedulePollingSeconds);
            server.ServerName = $"anb-worker-{Environment.MachineName}-{Environment.ProcessId}";
        });
}
