using Anb.Application.Abstractions;
using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Behaviors;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Validation;
using Anb.UnitTests.Auth.SignUp;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Anb.UnitTests.Common;

public sealed class ValidationBehaviorTests
{
    private static ValidationBehavior<TMessage, TResponse> Behavior<TMessage, TResponse>(params IValidator<TMessage>[] validators)
        where TMessage : IMessage =>
        new(validators, NullLogger<ValidationBehavior<TMessage, TResponse>>.Instance);

    private static ValidationBehavior<SignUpCommand, SignUpResponse> Behavior(params IValidator<SignUpCommand>[] validators) =>
        Behavior<SignUpCommand, SignUpResponse>(validators);

    [Fact]
    public async Task Handle_ValidMessage_CallsNext()
    {
        var expected = new SignUpResponse("ok", Guid.NewGuid());
        var calls = 0;

        var response = await Behavior(new SignUpValidator()).Handle(
            SignUpValidatorTests.Valid(),
            (_, _) => { calls++; return ValueTask.FromResult(expected); },
            default);

        Assert.Same(expected, response);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Handle_InvalidMessage_ThrowsFirstMessageWithErrorsByPropertyName()
    {
        var calls = 0;
        var command = SignUpValidatorTests.Valid() with { FirstName = null, Password2 = "different1" };

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => Behavior(new SignUpValidator()).Handle(
            command,
            (_, _) => { calls++; return ValueTask.FromResult(new SignUpResponse("ok", Guid.Empty)); },
            default).AsTask());

        Assert.Equal(0, calls);
        Assert.Equal(ClientMessages.Fields.Required("first_name"), error.Message);
        Assert.Equal([nameof(SignUpCommand.FirstName), nameof(SignUpCommand.Password2)], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([ClientMessages.Fields.Required("first_name")], error.Errors[nameof(SignUpCommand.FirstName)]);
        Assert.Equal([ClientMessages.Auth.PasswordsDiffer], error.Errors[nameof(SignUpCommand.Password2)]);
    }

    [Fact]
    public async Task Handle_SeveralValidators_ReportsTheFailuresOfEach()
    {
        var names = new InlineValidator<SignUpCommand>();
        names.RuleFor(c => c.FirstName).Must(_ => false).WithMessage("first");
        var places = new InlineValidator<SignUpCommand>();
        places.RuleFor(c => c.City).Must(_ => false).WithMessage("second");

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => Behavior(names, places).Handle(
            SignUpValidatorTests.Valid(),
            (_, _) => throw new InvalidOperationException("next must not run"),
            default).AsTask());

        Assert.Equal("first", error.Message);
        Assert.Equal(["first"], error.Errors[nameof(SignUpCommand.FirstName)]);
        Assert.Equal(["second"], error.Errors[nameof(SignUpCommand.City)]);
    }

    [Fact]
    public async Task Handle_RuleFlaggedAsAuthenticationFailure_ThrowsAuthenticationFailedNotValidation()
    {
        var validator = new InlineValidator<LogInCommand>();
        validator.RuleFor(c => c.Email).NotEmpty().WithMessage("plain input rule");
        validator.RuleFor(c => c.Password).NotEmpty().WithMessage(ClientMessages.Auth.InvalidCredentials).AsAuthenticationFailure();
        var calls = 0;

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => Behavior<LogInCommand, LogInResponse>(validator).Handle(
            new LogInCommand(null, null),
            (_, _) => { calls++; return ValueTask.FromResult(new LogInResponse("t", "Bearer", 1)); },
            default).AsTask());

        Assert.Equal(ClientMessages.Auth.InvalidCredentials, error.Message);
        Assert.Equal(0, calls);
    }

    public static TheoryData<string?, string?> ImpossibleCredentials() => new()
    {
        { null, "pass" },
        { "ana@example.com", null },
        { " ", "" },
        { "ana@example.com", new string('p', 129) },
    };

    [Theory]
    [MemberData(nameof(ImpossibleCredentials))]
    public async Task Handle_LogInWithImpossibleCredentials_ThrowsInvalidCredentialsBeforeTheHandler(string? email, string? password)
    {
        var users = new Mock<IUserRepository>();
        var handler = new LogInHandler(users.Object, Mock.Of<IPasswordHasher>(), Mock.Of<IAccessTokenIssuer>());

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => Behavior<LogInCommand, LogInResponse>(new LogInValidator()).Handle(
            new LogInCommand(email, password), handler.Handle, default).AsTask());

        Assert.Equal(ClientMessages.Auth.InvalidCredentials, error.Message);
        users.VerifyNoOtherCalls();
    }
}
