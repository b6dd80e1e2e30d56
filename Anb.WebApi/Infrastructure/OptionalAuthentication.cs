using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Anb.WebApi.Infrastructure;

internal static class OptionalAuthentication
{
    /// <summary>
    /// The viewer's id on a route that works with or without a token: null without one, the player's id
    /// with a valid one. A token that is sent but invalid is refused, not ignored.
    /// </summary>
    public static async Task<(Guid? ViewerId, bool Rejected)> GetViewerAsync(this HttpContext context)
    {
        if (string.IsNullOrEmpty(context.Request.Headers.Authorization))
        {
            return (null, false);
        }

        var result = await context.AuthenticateAsync();
        return result.Succeeded && Guid.TryParse(result.Principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? (id, false)
            : (null, true);
    }
}
