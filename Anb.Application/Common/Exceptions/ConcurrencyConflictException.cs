namespace Anb.Application.Common.Exceptions;

/// <summary>Raised by the persistence adapter when a row changed or was deleted since it was read.</summary>
public sealed class ConcurrencyConflictException(Exception innerException)
    : Exception("The row changed or was deleted since it was read.", innerException);
