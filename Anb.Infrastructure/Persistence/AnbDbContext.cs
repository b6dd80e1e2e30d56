using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Domain.Votes;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Anb.Infrastructure.Persistence;

public sealed class AnbDbContext(DbContextOptions<AnbDbContext> options) : DbContext(options), IUnitOfWork
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Video> Videos => Set<Video>();

    public DbSet<Vote> Votes => Set<Vote>();

    async Task IUnitOfWork.SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            ChangeTracker.Clear();
            throw new UniqueConstraintViolationException(pg.ConstraintName ?? "unknown", ex);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            ChangeTracker.Clear();
            throw new ConcurrencyConflictException(ex);
        }
    }

    void IUnitOfWork.Reset() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AnbDbContext).Assembly);
}
