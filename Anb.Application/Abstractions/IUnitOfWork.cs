namespace Anb.Application.Abstractions;

/// <summary>Commits the changes tracked by the repositories as one transaction.</summary>
public interface IUnitOfWork
{
    /// <exception cref="Common.Exceptions.UniqueConstraintViolationException">A unique rule of the store was broken.</exception>
    /// <exception cref="Common.Exceptions.ConcurrencyConflictException">The row changed or vanished since it was read.</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every tracked change, so the next read sees the store as it is.</summary>
    void Reset();
}
