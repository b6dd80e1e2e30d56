using Anb.Application.Common.Behaviors;
using Anb.Application.Common.Options;
using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.Common;
using Anb.Application.Videos.DeleteOrphanedOriginals;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.UploadVideo;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.Application;

public static class DependencyInjection
{
    /// <summary>
    /// The mediator (scoped, so handlers can use scoped repositories), its behaviors, the validators and the
    /// Application's own settings (<see cref="UploadOptions"/>, <see cref="ProcessingOptions"/>, <see cref="OrphanedOriginalsOptions"/>), checked at start-up, and its metrics (<see cref="AnbMetrics"/>).
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(DependencyInjection)];
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(DomainRuleBehavior<,>)];
        });
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddValidatedOptions<UploadOptions>(UploadOptions.SectionName);
        services.AddValidatedOptions<ProcessingOptions>(ProcessingOptions.SectionName);
        services.AddValidatedOptions<OrphanedOriginalsOptions>(OrphanedOriginalsOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<VideoMapper>();
        services.AddMetrics();
        services.AddSingleton<AnbMetrics>();
        return services;
    }
}
