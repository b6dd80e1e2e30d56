using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Behaviors;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.UnitTests.Auth.SignUp;
using FluentValidation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anb.UnitTests.Common;

public sealed class ValidationBehaviorTests
{
    private static ValidationBehavior<SignUpCommand, SignUpResponse> Behavior(params IValidator<SignUpCommand>[] validators) =>
        new(validators, NullLogger<ValidationBehavior<SignUpCommand, SignUpResponse>>.Instance);

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
    public async Task Handle_InvalidMessage_ThrowsWithFirstMessageAndSnakeCaseFields()
    {
        var calls = 0;
        var command = SignUpValidatorTests.Valid() with { FirstName = null, Password2 = "different1" };

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => Behavior(new SignUpValidator()).Handle(
            command,
            (_, _) => { calls++; return ValueTask.FromResult(new SignUpResponse("ok", Guid.Empty)); },
            default).AsTask());

        Assert.Equal(0, calls);
        Assert.Equal(ClientMessages.Fields.Required("first_name"), error.Message);
        Assert.Equal([ClientMessages.Fields.Required("first_name")], error.Errors["first_name"]);
        Assert.Equal([ClientMessages.Auth.PasswordsDiffer], error.Errors["password2"]);
    }
}
