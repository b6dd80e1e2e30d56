using Amazon.SQS;
using Anb.Application.Abstractions;
using Anb.Application.Common.Options;
using Anb.Application.Videos.ProcessVideo;
using Anb.Infrastructure.Common;
using Anb.Infrastructure.Persistence;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Queue;

internal static class QueueRegistration
{
    public const string HangfireSchemaName = "hangfire";

    /// <summary>The sending side of the queue named by <see cref="QueueOptions.Provider"/> (both hosts).</summary>
    public static IServiceCollection AddVideoQueue(this IServiceCollection services, string provider) => provider switch
    {
        QueueOptions.Hangfire => services.AddHangfireQueue(),
        QueueOptions.Sqs => services.AddSqsQueue(),
        _ => throw UnknownProvider(provider),
    };

    /// <summary>The consuming side, which runs <see cref="ProcessVideoCommand"/>s (worker host only).</summary>
    public static IServiceCollection AddVideoQueueConsumer(this IServiceCollection services, string provider)
    {
        services.TryAddSingleton(_ => WorkerIdentity.ForThisProcess());
        return provider switch
        {
            QueueOptions.Hangfire => services.AddHangfireWorker(),
            QueueOptions.Sqs => services.AddHostedService<SqsVideoQueueConsumer>(),
            _ => throw UnknownProvider(provider),
        };
    }

    public static AmazonSQSClient CreateSqsClient(SqsQueueOptions options) =>
        new(AwsEndpoint.Configure(new AmazonSQSConfig(), options.ServiceUrl, options.Region));

    /// <summary>
    /// Hangfire storage on the application's PostgreSQL database (enqueue side). The storage and the job
    /// activator belong to this host's container: Hangfire's defaults are process-wide (<c>JobStorage.Current</c>,
    /// <c>JobActivator.Current</c>), so two hosts in one process (the tests) would enqueue into one database and
    /// run jobs with the other's services. Serializer, log provider and retry filter stay global: every host
    /// sets them alike.
    /// </summary>
    private static IServiceCollection AddHangfireQueue(this IServiceCollection services)
    {
        services.AddValidatedOptions<HangfireQueueOptions>(HangfireQueueOptions.SectionName);
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();
            var options = StorageOptions(
                sp.GetRequiredService<IOptions<HangfireQueueOptions>>().Value, sp.GetRequiredService<IOptions<ProcessingOptions>>().Value);
            var connectionString = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.BuildConnectionString();
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) =>
        {
            var processing = sp.GetRequiredService<IOptions<ProcessingOptions>>().Value;
            config
                .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>()))
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseFilter(new AutomaticRetryAttribute
                {
                    Attempts = Math.Max(0, processing.MaxAttempts - 1),
                    DelayInSecondsByAttemptFunc = attempt => (int)RetryBackoff.After((int)attempt, processing.RetryBaseDelaySeconds).TotalSeconds,
                    OnAttemptsExceeded = AttemptsExceededAction.Fail,
                });
        });
        services.AddSingleton<IVideoQueue, HangfireVideoQueue>();
        return services;
    }

    private static PostgreSqlStorageOptions StorageOptions(HangfireQueueOptions queue, ProcessingOptions processing) => new()
    {
        SchemaName = HangfireSchemaName,
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = TimeSpan.FromMilliseconds(queue.PollIntervalMs),
        EnableLongPolling = queue.LongPolling,
        UseSlidingInvisibilityTimeout = true,

        // A dead worker's fetched job comes back after this (a live one keeps sliding it); a delivery while
        // the video's lease still lives is skipped, and the stale sweep requeues the video once the lease expires.
        InvisibilityTimeout = TimeSpan.FromSeconds(processing.LeaseSeconds),
    };

    private static IServiceCollection AddSqsQueue(this IServiceCollection services)
    {
        services.AddValidatedOptions<SqsQueueOptions>(SqsQueueOptions.SectionName);
        services.AddSingleton<IAmazonSQS>(sp => CreateSqsClient(sp.GetRequiredService<IOptions<SqsQueueOptions>>().Value));
        services.AddSingleton<IVideoQueue, SqsVideoQueue>();
        return services;
    }

    private static IServiceCollection AddHangfireWorker(this IServiceCollection services)
    {
        services.AddScoped<ProcessVideoJob>();
        return services.AddHangfireServer((sp, server) =>
        {
            var queue = sp.GetRequiredService<IOptions<HangfireQueueOptions>>().Value;
            server.WorkerCount = queue.WorkerCount;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(queue.SchedulePollingSeconds);
            server.ServerName = $"anb-worker-{Environment.MachineName}-{Environment.ProcessId}";
        });
    }

    private static InvalidOperationException UnknownProvider(string provider) =>
        new($"Unknown Queue:Provider '{provider}' (Hangfire or Sqs).");
}
