using Anb.Application.Abstractions;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.UploadVideo;
using Anb.Infrastructure.Auth;
using Anb.Infrastructure.Media;
using Anb.Infrastructure.Persistence;
using Anb.Infrastructure.Persistence.Repositories;
using Anb.Infrastructure.Queue;
using Anb.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Anb.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Whether identical concurrent public reads share one query (default true).</summary>
    public const string CoalesceReadsKey = "Showcase:CoalesceReads";

    /// <summary>Persistence, auth and the storage and queue adapters named by configuration.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        // One data source and pooled contexts: options are built once, not per request. Resolved
        // lazily so a test host's configuration overrides are seen.
        services.AddSingleton(sp =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            return NpgsqlDataSource.Create(PersistenceSetup.BuildConnectionString(
                config.GetConnectionString(PersistenceSetup.ConnectionStringName),
                config["Database:Password"]));
        });
        services.AddDbContextPool<AnbDbContext>((sp, options) =>
            PersistenceSetup.Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<AnbDbContext>());
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddScoped<IVideoRepository, VideoRepository>();
        services.AddScoped<IVoteRepository, VoteRepository>();
        services.AddSingleton<ShowcaseReader>();
        if (configuration.GetValue(CoalesceReadsKey, true))
        {
            services.AddSingleton<IShowcaseReader, CoalescingShowcaseReader>();
        }
        else
        {
            services.AddSingleton<IShowcaseReader>(sp => sp.GetRequiredService<ShowcaseReader>());
        }

        // Validated on first use; the API host (the only issuer and checker of tokens) also validates at start-up.
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.SectionName);
        services.AddSingleton<JwtOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<IValidateOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();

        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName);
        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName);

        services.AddMedia();
        services.AddStorage(configuration);
        services.AddVideoQueue(configuration);
        return services;
    }

    /// <summary>The consumer side of the queue; only the worker host calls this.</summary>
    public static IServiceCollection AddVideoQueueConsumer(this IServiceCollection services, IConfiguration configuration)
    {
        switch (QueueProvider(configuration))
        {
            case QueueProviders.Hangfire:
                services.AddHangfireWorker();
                break;
            case QueueProviders.Sqs:
                services.AddSqsConsumer();
                break;
            default:
                throw new InvalidOperationException($"Unknown Queue:Provider '{QueueProvider(configuration)}'.");
        }

        return services;
    }

    private static void AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[StorageProviders.ConfigurationKey] ?? StorageProviders.Local;
        switch (provider)
        {
            case StorageProviders.Local:
                services.AddOptions<LocalStorageOptions>().BindConfiguration(LocalStorageOptions.SectionName)
                    .ValidateDataAnnotations().ValidateOnStart();
                services.AddSingleton<LocalFileStorage>();
                services.AddSingleton<IObjectStorage>(sp => sp.GetRequiredService<LocalFileStorage>());
                break;
            case StorageProviders.S3:
                services.AddS3Storage();
                break;
            default:
                throw new InvalidOperationException($"Unknown Storage:Provider '{provider}'.");
        }
    }

    private static void AddVideoQueue(this IServiceCollection services, IConfiguration configuration)
    {
        switch (QueueProvider(configuration))
        {
            case QueueProviders.Hangfire:
                services.AddHangfireStorage();
                services.AddSingleton<IVideoQueue, HangfireVideoQueue>();
                break;
            case QueueProviders.Sqs:
                services.AddSqsQueue();
                break;
            default:
                throw new InvalidOperationException($"Unknown Queue:Provider '{QueueProvider(configuration)}'.");
        }
    }

    private static string QueueProvider(IConfiguration configuration) =>
        configuration[QueueProviders.ConfigurationKey] ?? QueueProviders.Hangfire;
}
