namespace Anb.Application.Common.Exceptions;

/// <summary>
/// Raised by the persistence adapter when a unique rule of the store rejects a write, so handlers can
/// turn a lost race into the contract's message. Never reaches a client as such.
/// </summary>
public sealed class UniqueConstraintViolationException(string constraintName, Exception innerException)
    : Exception($"Unique constraint '{constraintName}' was violated.", innerException)
{
    public string ConstraintName { get; } = constraintName;
}
