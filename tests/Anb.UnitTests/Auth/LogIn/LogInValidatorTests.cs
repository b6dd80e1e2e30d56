using Anb.Application.Auth.LogIn;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Validation;

namespace Anb.UnitTests.Auth.LogIn;

public sealed class LogInValidatorTests
{
    private readonly LogInValidator validator = new();

    [Theory]
    [InlineData("ana@example.com", "s3cret-pass")]
    [InlineData("a@b.co", "x")]
    public void Validate_PresentCredentials_Passes(string email, string password) =>
        Assert.True(validator.Validate(new LogInCommand(email, password)).IsValid);

    [Fact]
    public void Validate_LongestCredentialsSignUpAccepts_Passes() =>
        Assert.True(validator.Validate(new LogInCommand(new string('e', 254), new string('p', 128))).IsValid);

    public static TheoryData<string?, string?> ImpossibleCredentials() => new()
    {
        { null, "s3cret-pass" },
        { "", "s3cret-pass" },
        { "   ", "s3cret-pass" },
        { new string('e', 255), "s3cret-pass" },
        { "ana@example.com", null },
        { "ana@example.com", "" },
        { "ana@example.com", "   " },
        { "ana@example.com", new string('p', 129) },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(ImpossibleCredentials))]
    public void Validate_MissingBlankOrOverlongCredential_FailsAsInvalidCredentials(string? email, string? password)
    {
        var result = validator.Validate(new LogInCommand(email, password));

        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.Equal(
            (ValidationFailureKinds.AuthenticationFailure, ClientMessages.Auth.InvalidCredentials),
            (e.ErrorCode, e.ErrorMessage)));
    }
}
