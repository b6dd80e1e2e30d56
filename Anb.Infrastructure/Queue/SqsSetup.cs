using Amazon;
using Amazon.SQS;
using Anb.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Queue;

internal static class SqsSetup
{
    /// <summary>The SQS client and the sending side; credentials come from the SDK's default chain (env, profile, task role).</summary>
    public static void AddSqsQueue(this IServiceCollection services)
    {
        services.AddOptions<SqsQueueOptions>().BindConfiguration(SqsQueueOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAmazonSQS>(sp => CreateClient(sp.GetRequiredService<IOptions<SqsQueueOptions>>().Value));
        services.AddSingleton<IVideoQueue, SqsVideoQueue>();
    }

    /// <summary>The hosted consumer that processes videos (worker host only).</summary>
    public static void AddSqsConsumer(this IServiceCollection services) =>
        services.AddHostedService<SqsVideoQueueConsumer>();

    public static AmazonSQSClient CreateClient(SqsQueueOptions options)
    {
        var config = new AmazonSQSConfig();
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        return new AmazonSQSClient(config);
    }
}
