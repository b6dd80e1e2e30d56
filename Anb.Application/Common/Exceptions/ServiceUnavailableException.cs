namespace Anb.Application.Common.Exceptions;

/// <summary>A dependency (storage, queue) failed; the request was rolled back and may be retried: 503.</summary>
public sealed class ServiceUnavailableException(string message, Exception innerException) : AppException(message)
{
    public Exception Cause { get; } = innerException;
}
