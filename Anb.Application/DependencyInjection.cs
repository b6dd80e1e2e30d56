using Anb.Application.Common.Behaviors;
using Anb.Application.Videos.Common;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.Application;

public static class DependencyInjection
{
    /// <summary>Registers the mediator (scoped, so handlers can use scoped repositories), behaviors and validators.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(DependencyInjection)];
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<VideoMapper>();
        return services;
    }
}
