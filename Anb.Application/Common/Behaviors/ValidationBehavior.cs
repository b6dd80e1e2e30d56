using System.Text.Json;
using Anb.Application.Common.Exceptions;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.Application.Common.Behaviors;

/// <summary>Runs every validator of the message and throws one <see cref="RequestValidationException"/>.</summary>
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
        var failures = new List<FluentValidation.Results.ValidationFailure>();
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
            .GroupBy(f => JsonNamingPolicy.SnakeCaseLower.ConvertName(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        LogRejected(logger, typeof(TMessage).Name, string.Join(", ", errors.Keys));
        throw new RequestValidationException(failures[0].ErrorMessage, errors);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message} rejected by validation on {Fields}")]
    private static partial void LogRejected(ILogger logger, string message, string fields);
}
