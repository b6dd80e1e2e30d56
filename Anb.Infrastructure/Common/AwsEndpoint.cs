using Amazon;
using Amazon.Runtime;

namespace Anb.Infrastructure.Common;

internal static class AwsEndpoint
{
    /// <summary>
    /// Points an AWS client at <paramref name="serviceUrl"/> (an emulator) when set, else at the region's
    /// endpoint. Credentials come from the SDK's default chain (environment, profile, task role).
    /// </summary>
    public static TConfig Configure<TConfig>(TConfig config, string serviceUrl, string region)
        where TConfig : ClientConfig
    {
        if (string.IsNullOrEmpty(serviceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }

        return config;
    }
}
