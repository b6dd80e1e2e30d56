using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Anb.Infrastructure.Auth;

public sealed class JwtOptions
{
    public const string SectionName = "Jwt";
    public const int MinKeyBytes = 32;

    /// <summary>HMAC-SHA256 key; at least 32 bytes. Comes from a secret store, never from the repository.</summary>
    public string SigningKey { get; set; } = string.Empty;

    public string Issuer { get; set; } = "anb-rising-stars";

    public string Audience { get; set; } = "anb-rising-stars";

    public int LifetimeSeconds { get; set; } = 3600;

    public SymmetricSecurityKey CreateSigningKey() => new(Encoding.UTF8.GetBytes(SigningKey));

    internal bool HasValidKey => Encoding.UTF8.GetByteCount(SigningKey) >= MinKeyBytes;
}
