using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Messages;

namespace Anb.UnitTests.Auth.SignUp;

public sealed class SignUpValidatorTests
{
    private readonly SignUpValidator validator = new();

    internal static SignUpCommand Valid() =>
        new("Ana", "Gómez", "ana@example.com", "s3cret-pass", "s3cret-pass", "Bogotá", "Colombia");

    [Fact]
    public void Validate_CompleteCommand_Passes() => Assert.True(validator.Validate(Valid()).IsValid);

    [Theory]
    [InlineData("first_name")]
    [InlineData("last_name")]
    [InlineData("email")]
    [InlineData("password1")]
    [InlineData("password2")]
    [InlineData("city")]
    [InlineData("country")]
    public void Validate_MissingField_NamesIt(string field)
    {
        var command = field switch
        {
            "first_name" => Valid() with { FirstName = null },
            "last_name" => Valid() with { LastName = "" },
            "email" => Valid() with { Email = null },
            "password1" => Valid() with { Password1 = null },
            "password2" => Valid() with { Password2 = null },
            "city" => Valid() with { City = "  " },
            _ => Valid() with { Country = null },
        };

        var result = validator.Validate(command);

        Assert.Contains(result.Errors, e => e.ErrorMessage == ClientMessages.Fields.Required(field));
    }

    [Fact]
    public void Validate_PasswordsDiffer_SaysSo()
    {
        var result = validator.Validate(Valid() with { Password2 = "another-pass" });

        Assert.Equal(ClientMessages.Auth.PasswordsDiffer, Assert.Single(result.Errors).ErrorMessage);
    }

    [Fact]
    public void Validate_ShortPassword_SaysMinimum()
    {
        var result = validator.Validate(Valid() with { Password1 = "short", Password2 = "short" });

        Assert.Equal(ClientMessages.Auth.PasswordTooShort(8), Assert.Single(result.Errors).ErrorMessage);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a b@c.com")]
    public void Validate_MalformedEmail_SaysSo(string email)
    {
        var result = validator.Validate(Valid() with { Email = email });

        Assert.Equal(ClientMessages.Auth.InvalidEmail, Assert.Single(result.Errors).ErrorMessage);
    }
}
