namespace Anb.Application.Common.Exceptions;

/// <summary>
/// Base of the closed set of failures the API turns into problem details.
/// The message is client-facing: always one of <see cref="Messages.ClientMessages"/>.
/// </summary>
public abstract class AppException(string message, Exception? innerException = null) : Exception(message, innerException);
