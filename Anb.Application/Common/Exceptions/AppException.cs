namespace Anb.Application.Common.Exceptions;

/// <summary>
/// Base of the closed set of failures the API turns into problem details.
/// The message is client-facing (Spanish, as in the contract).
/// </summary>
public abstract class AppException(string message) : Exception(message);
