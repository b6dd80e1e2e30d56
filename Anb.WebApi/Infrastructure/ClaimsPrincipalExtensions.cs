using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Anb.WebApi.Infrastructure;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The player id carried in the token's <c>sub</c>; endpoints behind authorization always have one.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The authenticated principal has no player id.");
}
