namespace Anb.Application.Common.Exceptions;

/// <summary>Credentials were not accepted: 401.</summary>
public sealed class AuthenticationFailedException(string message) : AppException(message);
