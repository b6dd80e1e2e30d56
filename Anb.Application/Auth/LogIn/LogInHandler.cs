using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Domain.Users;
using Mediator;

namespace Anb.Application.Auth.LogIn;

/// <summary>
/// Checks credentials and issues a token. An unknown email and a wrong password get the same answer,
/// and both pay for one hash verification so timing does not tell them apart.
/// </summary>
public sealed class LogInHandler(
    IUserRepository users,
    IPasswordHasher passwordHasher,
    IAccessTokenIssuer tokenIssuer) : ICommandHandler<LogInCommand, LogInResponse>
{
    public const string InvalidCredentialsMessage = "Credenciales inválidas.";

    public async ValueTask<LogInResponse> Handle(LogInCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.Email) || string.IsNullOrEmpty(command.Password))
        {
            throw new AuthenticationFailedException(InvalidCredentialsMessage);
        }

        var user = await users.FindByEmailAsync(User.NormalizeEmail(command.Email), cancellationToken);
        if (user is null)
        {
            _ = passwordHasher.Hash(command.Password);
            throw new AuthenticationFailedException(InvalidCredentialsMessage);
        }

        if (!passwordHasher.Verify(user.PasswordHash, command.Password))
        {
            throw new AuthenticationFailedException(InvalidCredentialsMessage);
        }

        var token = tokenIssuer.Issue(user);
        return new LogInResponse(token.Value, "Bearer", token.ExpiresInSeconds);
    }
}
