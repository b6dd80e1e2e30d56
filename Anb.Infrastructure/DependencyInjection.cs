using Anb.Application.Common.Options;
using Anb.Infrastructure.Auth;
using Anb.Infrastructure.Media;
using Anb.Infrastructure.Persistence;
using Anb.Infrastructure.Queue;
using Anb.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.Infrastructure;

/// <summary>
/// The adapters, per host: <see cref="AddInfrastructure"/> what both hosts share, then
/// <see cref="AddApiInfrastructure"/> or <see cref="AddWorkerInfrastructure"/>. The storage and queue
/// adapters are chosen by configuration alone (<c>Storage:Provider</c>, <c>Queue:Provider</c>).
/// </summary>
public static class DependencyInjection
{
    /// <summary>Database, videos, object storage and the sending side of the queue.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName);
        services.AddValidatedOptions<QueueOptions>(QueueOptions.SectionName);
        return services
            .AddPersistence()
            .AddObjectStorage(Read<StorageOptions>(configuration, StorageOptions.SectionName).Provider)
            .AddVideoQueue(Read<QueueOptions>(configuration, QueueOptions.SectionName).Provider);
    }

    /// <summary>What only the API runs: tokens and password hashing, players and votes, public reads, the upload probe.</summary>
    public static IServiceCollection AddApiInfrastructure(this IServiceCollection services) =>
        services
            .AddTokenAuth()
            .AddShowcasePersistence()
            .AddVideoProbe();

    /// <summary>What only the worker runs: the transcoder and the consuming side of the queue.</summary>
    public static IServiceCollection AddWorkerInfrastructure(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddTranscoder()
            .AddVideoQueueConsumer(Read<QueueOptions>(configuration, QueueOptions.SectionName).Provider);

    // The adapter choice is needed while registering, before the options of the container exist.
    private static T Read<T>(IConfiguration configuration, string sectionName)
        where T : new() =>
        configuration.GetSection(sectionName).Get<T>() ?? new T();
}
