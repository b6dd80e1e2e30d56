using Amazon.S3;
using Anb.Application.Abstractions;
using Anb.Application.Common.Options;
using Anb.Infrastructure.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Storage;

internal static class StorageRegistration
{
    /// <summary>The <see cref="IObjectStorage"/> adapter named by <see cref="StorageOptions.Provider"/>.</summary>
    public static IServiceCollection AddObjectStorage(this IServiceCollection services, string provider) => provider switch
    {
        StorageOptions.Local => services.AddLocalStorage(),
        StorageOptions.S3 => services.AddS3Storage(),
        _ => throw new InvalidOperationException($"Unknown Storage:Provider '{provider}' (Local or S3)."),
    };

    private static IServiceCollection AddLocalStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<LocalStorageOptions>(LocalStorageOptions.SectionName);
        services.AddSingleton<LocalFileStorage>();
        services.AddSingleton<IObjectStorage>(sp => sp.GetRequiredService<LocalFileStorage>());
        return services;
    }

    private static IServiceCollection AddS3Storage(this IServiceCollection services)
    {
        services.AddValidatedOptions<S3StorageOptions>(S3StorageOptions.SectionName);
        services.AddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<S3StorageOptions>>().Value));
        services.AddSingleton<IObjectStorage, S3ObjectStorage>();
        return services;
    }

    public static AmazonS3Client CreateClient(S3StorageOptions options) =>
        new(AwsEndpoint.Configure(new AmazonS3Config { ForcePathStyle = options.ForcePathStyle }, options.ServiceUrl, options.Region));
}
