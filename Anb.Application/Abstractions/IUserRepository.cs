using Anb.Domain.Users;

namespace Anb.Application.Abstractions;

/// <summary>Players, looked up by normalised email.</summary>
public interface IUserRepository
{
    Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken);

    Task<bool> EmailExistsAsync(string normalizedEmail, CancellationToken cancellationToken);

    void Add(User user);
}
