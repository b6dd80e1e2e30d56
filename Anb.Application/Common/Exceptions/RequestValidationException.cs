namespace Anb.Application.Common.Exceptions;

/// <summary>Input failed validation: 400 with the first message as detail and every message by field.</summary>
public sealed class RequestValidationException(string message, IReadOnlyDictionary<string, string[]> errors)
    : AppException(message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The error code of the rule behind the first message, when it has one of its own (for metrics, never for clients).</summary>
    public string? Code { get; init; }

    public RequestValidationException(string message)
        : this(message, new Dictionary<string, string[]>())
    {
    }
}
