namespace Anb.Application.Common.Exceptions;

/// <summary>Input failed validation: 400 with the first message as detail and every message by field.</summary>
public sealed class RequestValidationException(string message, IReadOnlyDictionary<string, string[]> errors)
    : AppException(message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public RequestValidationException(string message)
        : this(message, new Dictionary<string, string[]>())
    {
    }
}
