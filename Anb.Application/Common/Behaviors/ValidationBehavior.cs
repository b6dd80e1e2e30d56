using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Validation;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.Application.Common.Behaviors;

/// <summary>
/// Runs every validator of the message and throws one <see cref="RequestValidationException"/> (errors by
/// property name), or <see cref="AuthenticationFailedException"/> when a failing rule is marked as one.
/// </summary>
public sealed partial class ValidationBehavior<TMessage, TResponse>(
    IEnumerable<IValidator<TMessage>> validators,
    ILogger<ValidationBehavior<TMessage, TResponse>> logger) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        var failures = new List<ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next(message, cancellationToken);
        }

        var errors = failures
            .GroupBy(f => f.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        LogRejected(logger, typeof(TMessage).Name, string.Join(", ", errors.Keys));
        if (failures.Find(f => f.ErrorCode == ValidationFailureKinds.AuthenticationFailure) is { } credentials)
        {
            throw new AuthenticationFailedException(credentials.ErrorMessage);
        }

        throw new RequestValidationException(failures[0].ErrorMessage, errors) { Code = failures[0].ErrorCode };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message} rejected by validation on {Fields}")]
    private static partial void LogRejected(ILogger logger, string message, string fields);
}
