namespace Anb.Application.Common.Exceptions;

/// <summary>The resource does not exist: 404.</summary>
public sealed class NotFoundException(string message) : AppException(message);
