using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Anb.Infrastructure.Auth;

/// <summary>
/// Outside Development a missing or short signing key stops the host at start-up. In Development a
/// missing key is replaced by a random one for the life of the process.
/// </summary>
internal sealed class JwtOptionsSetup(IHostEnvironment environment)
    : IPostConfigureOptions<JwtOptions>, IValidateOptions<JwtOptions>
{
    public void PostConfigure(string? name, JwtOptions options)
    {
        if (environment.IsDevelopment() && string.IsNullOrEmpty(options.SigningKey))
        {
            options.SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        }
    }

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (!options.HasValidKey)
        {
            return ValidateOptionsResult.Fail(
                $"Jwt:SigningKey must be set to at least {JwtOptions.MinKeyBytes} bytes (environment variable Jwt__SigningKey).");
        }

        return options.LifetimeSeconds is < 60 or > 86_400
            ? ValidateOptionsResult.Fail("Jwt:LifetimeSeconds must be between 60 and 86400.")
            : ValidateOptionsResult.Success;
    }
}
