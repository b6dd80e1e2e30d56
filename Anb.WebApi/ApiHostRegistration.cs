using Anb.Application;
using Anb.Infrastructure;
using Anb.WebApi.Infrastructure;

namespace Anb.WebApi;

internal static class ApiHostRegistration
{
    /// <summary>Everything the API host runs: the Application, the shared and API-only adapters, and the HTTP layer.</summary>
    public static IServiceCollection AddApiHost(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddApplication()
            .AddInfrastructure(configuration)
            .AddApiInfrastructure()
            .AddWebApi();
}
