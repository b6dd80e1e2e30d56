using Anb.Application.Abstractions;
using Anb.Infrastructure.Auth;
using Anb.Infrastructure.Persistence;
using Anb.Infrastructure.Persistence.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Persistence, auth and the adapters chosen by configuration.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        // Resolved lazily so a test host's configuration overrides are seen.
        services.AddDbContext<AnbDbContext>((sp, options) =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            PersistenceSetup.Configure(options, PersistenceSetup.BuildConnectionString(
                config.GetConnectionString(PersistenceSetup.ConnectionStringName),
                config["Database:Password"]));
        });
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<AnbDbContext>());
        services.AddScoped<IUserRepository, UserRepository>();

        // Validated on first use; the API host (the only issuer and checker of tokens) also validates at start-up.
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.SectionName);
        services.AddSingleton<JwtOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<IValidateOptions<JwtOptions>>(sp => sp.GetRequiredService<JwtOptionsSetup>());
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();
        return services;
    }
}
