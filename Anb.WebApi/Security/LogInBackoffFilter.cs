using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Telemetry;
using Anb.Domain.Users;

namespace Anb.WebApi.Security;

/// <summary>Puts the log-in endpoint behind <see cref="LogInBackoff"/>: a blocked account gets 429 before its password is checked.</summary>
internal static class LogInBackoffFilter
{
    /// <summary>The <c>anb.policy</c> of its refusals in <c>anb.rate_limit.rejected</c>.</summary>
    public const string PolicyName = "login_backoff";

    public static RouteHandlerBuilder WithLogInBackoff(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var email = context.Arguments.OfType<LogInCommand>().FirstOrDefault()?.Email;
            if (string.IsNullOrWhiteSpace(email) || email.Length > SignUpValidator.MaxEmailLength)
            {
                return await next(context);
            }

            email = User.NormalizeEmail(email);
            var backoff = context.HttpContext.RequestServices.GetRequiredService<LogInBackoff>();
            if (backoff.Blocked(email) is { } wait)
            {
                context.HttpContext.RequestServices.GetRequiredService<AnbMetrics>().RateLimitRejected(PolicyName);
                await TooManyRequests.WriteAsync(context.HttpContext, wait);
                return Results.Empty;
            }

            try
            {
                var result = await next(context);
                backoff.Succeeded(email);
                return result;
            }
            catch (AuthenticationFailedException)
            {
                backoff.Failed(email);
                throw;
            }
        });
}
