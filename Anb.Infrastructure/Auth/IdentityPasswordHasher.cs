using Anb.Application.Abstractions;
using Microsoft.AspNetCore.Identity;

namespace Anb.Infrastructure.Auth;

/// <summary>ASP.NET Core Identity's hasher: PBKDF2 with HMAC-SHA512, 100,000 iterations, random 128-bit salt.</summary>
internal sealed class IdentityPasswordHasher : IPasswordHasher
{
    private static readonly object Subject = new();
    private readonly PasswordHasher<object> hasher = new();

    public string Hash(string password) => hasher.HashPassword(Subject, password);

    public bool Verify(string hash, string password) =>
        hasher.VerifyHashedPassword(Subject, hash, password) is PasswordVerificationResult.Success
            or PasswordVerificationResult.SuccessRehashNeeded;
}
