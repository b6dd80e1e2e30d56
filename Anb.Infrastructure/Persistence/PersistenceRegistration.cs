using Anb.Application.Abstractions;
using Anb.Application.Common.Options;
using Anb.Infrastructure.Persistence.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Anb.Infrastructure.Persistence;

internal static class PersistenceRegistration
{
    /// <summary>One data source and pooled contexts (options built once, not per request), the unit of work and the videos.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services)
    {
        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? string.Empty);
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.BuildConnectionString()));
        services.AddDbContextPool<AnbDbContext>((sp, options) =>
            PersistenceSetup.Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<AnbDbContext>());
        services.AddScoped<IVideoRepository, VideoRepository>();
        return services;
    }

    /// <summary>Players, votes and the public reads (API host only).</summary>
    public static IServiceCollection AddShowcasePersistence(this IServiceCollection services)
    {
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddScoped<IVoteRepository, VoteRepository>();
        services.AddValidatedOptions<ShowcaseOptions>(ShowcaseOptions.SectionName);
        services.AddSingleton<ShowcaseReader>();
        services.AddSingleton<CoalescingShowcaseReader>();
        services.AddSingleton<IShowcaseReader>(sp => sp.GetRequiredService<IOptions<ShowcaseOptions>>().Value.CoalesceReads
            ? sp.GetRequiredService<CoalescingShowcaseReader>()
            : sp.GetRequiredService<ShowcaseReader>());
        return services;
    }
}
