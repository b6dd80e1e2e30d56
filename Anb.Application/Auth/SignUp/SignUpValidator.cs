using Anb.Application.Common.Messages;
using FluentValidation;

namespace Anb.Application.Auth.SignUp;

public sealed class SignUpValidator : AbstractValidator<SignUpCommand>
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxNameLength = 100;
    public const int MaxEmailLength = 254;

    public SignUpValidator()
    {
        RuleFor(c => c.FirstName).NotEmpty().WithMessage(Required("first_name"))
            .MaximumLength(MaxNameLength).WithMessage(TooLong("first_name", MaxNameLength));
        RuleFor(c => c.LastName).NotEmpty().WithMessage(Required("last_name"))
            .MaximumLength(MaxNameLength).WithMessage(TooLong("last_name", MaxNameLength));
        RuleFor(c => c.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(Required("email"))
            .MaximumLength(MaxEmailLength).WithMessage(TooLong("email", MaxEmailLength))
            .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage(ClientMessages.Auth.InvalidEmail);
        RuleFor(c => c.Password1).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(Required("password1"))
            .MinimumLength(MinPasswordLength).WithMessage(ClientMessages.Auth.PasswordTooShort(MinPasswordLength))
            .MaximumLength(MaxPasswordLength).WithMessage(TooLong("password1", MaxPasswordLength));
        RuleFor(c => c.Password2).NotEmpty().WithMessage(Required("password2"));
        RuleFor(c => c.Password2).Equal(c => c.Password1).WithMessage(ClientMessages.Auth.PasswordsDiffer)
            .When(c => !string.IsNullOrEmpty(c.Password1) && !string.IsNullOrEmpty(c.Password2));
        RuleFor(c => c.City).NotEmpty().WithMessage(Required("city"))
            .MaximumLength(MaxNameLength).WithMessage(TooLong("city", MaxNameLength));
        RuleFor(c => c.Country).NotEmpty().WithMessage(Required("country"))
            .MaximumLength(MaxNameLength).WithMessage(TooLong("country", MaxNameLength));
    }

    private static string Required(string field) => ClientMessages.Fields.Required(field);

    private static string TooLong(string field, int max) => ClientMessages.Fields.TooLong(field, max);
}
