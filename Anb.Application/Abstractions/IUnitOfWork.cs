namespace Anb.Application.Abstractions;

/// <summary>Commits the changes tracked by the repositories as one transaction.</summary>
public interface IUnitOfWork
{
    /// <exception cref="Common.Exceptions.UniqueConstraintViolationException">A unique rule of the store was broken.</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
