using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Validation;
using FluentValidation;

namespace Anb.Application.Auth.LogIn;

/// <summary>
/// A missing or impossible credential gets the answer of a wrong one (401, same message), so the
/// answer tells an attacker nothing; nothing longer than sign-up accepts is ever hashed.
/// </summary>
public sealed class LogInValidator : AbstractValidator<LogInCommand>
{
    public LogInValidator()
    {
        ClassLevelCascadeMode = CascadeMode.Stop;
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(c => c.Email)
            .NotEmpty().WithMessage(ClientMessages.Auth.InvalidCredentials).AsAuthenticationFailure()
            .MaximumLength(SignUpValidator.MaxEmailLength).WithMessage(ClientMessages.Auth.InvalidCredentials).AsAuthenticationFailure();
        RuleFor(c => c.Password)
            .NotEmpty().WithMessage(ClientMessages.Auth.InvalidCredentials).AsAuthenticationFailure()
            .MaximumLength(SignUpValidator.MaxPasswordLength).WithMessage(ClientMessages.Auth.InvalidCredentials).AsAuthenticationFailure();
    }
}
