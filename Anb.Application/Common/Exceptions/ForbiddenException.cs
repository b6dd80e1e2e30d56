namespace Anb.Application.Common.Exceptions;

/// <summary>The resource exists but belongs to someone else: 403.</summary>
public sealed class ForbiddenException(string message) : AppException(message);
