using Anb.Application;
using Anb.Infrastructure;
using Anb.WebApi.Infrastructure;
using Anb.WebApi.OpenApi;
using Anb.WebApi.Security;
using Anb.WebApi.Web;

namespace Anb.WebApi;

internal static class ApiHostRegistration
{
    /// <summary>Everything the API host runs: the Application, the shared and API-only adapters, the HTTP layer and its OpenAPI document, the web page.</summary>
    public static IServiceCollection AddApiHost(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddApplication()
            .AddInfrastructure(configuration)
            .AddApiInfrastructure()
            .AddWebApi()
            .AddApiRateLimits()
            .AddApiDocumentation()
            .AddWebPage();
}
