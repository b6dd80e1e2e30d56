using Mediator;

namespace Anb.Application.Auth.SignUp;

/// <summary>Registers a player. Fields are nullable so a missing field is a validation message, not a binding failure.</summary>
public sealed record SignUpCommand(
    string? FirstName,
    string? LastName,
    string? Email,
    string? Password1,
    string? Password2,
    string? City,
    string? Country) : ICommand<SignUpResponse>;
