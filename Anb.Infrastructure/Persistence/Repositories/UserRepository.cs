using Anb.Application.Abstractions;
using Anb.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Anb.Infrastructure.Persistence.Repositories;

internal sealed class UserRepository(AnbDbContext db) : IUserRepository
{
    public Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Email == normalizedEmail, cancellationToken);

    public Task<bool> EmailExistsAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Email == normalizedEmail, cancellationToken);

    public void Add(User user) => db.Users.Add(user);
}
