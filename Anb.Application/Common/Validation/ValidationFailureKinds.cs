using FluentValidation;

namespace Anb.Application.Common.Validation;

/// <summary>Marks a rule whose failure is refused as bad credentials (401) rather than bad input (400).</summary>
public static class ValidationFailureKinds
{
    /// <summary>The error code <see cref="Behaviors.ValidationBehavior{TMessage,TResponse}"/> reads.</summary>
    public const string AuthenticationFailure = "authentication_failure";

    public static IRuleBuilderOptions<T, TProperty> AsAuthenticationFailure<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule) =>
        rule.WithErrorCode(AuthenticationFailure);
}
