using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Anb.Application.Common.Options;

public static class ValidatedOptionsRegistration
{
    /// <summary>
    /// The one way settings are registered in every layer: bound from <paramref name="sectionName"/>, checked
    /// with their data annotations (and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>),
    /// at start-up.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();
}
