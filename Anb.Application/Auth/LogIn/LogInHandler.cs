using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Domain.Users;
using Mediator;

namespace Anb.Application.Auth.LogIn;

/// <summary>
/// Checks credentials and issues a token. An unknown email and a wrong password get the same answer,
/// and both pay for one hash verification so timing does not tell them apart. Missing fields are
/// refused by <see cref="LogInValidator"/> with that same answer.
/// </summary>
public sealed class LogInHandler(
    IUserRepository users,
    IPasswordHasher passwordHasher,
    IAccessTokenIssuer tokenIssuer) : ICommandHandler<LogInCommand, LogInResponse>
{
    public async ValueTask<LogInResponse> Handle(LogInCommand command, CancellationToken cancellationToken)
    {
        var password = command.Password!;
        var user = await users.FindByEmailAsync(User.NormalizeEmail(command.Email!), cancellationToken);
        if (user is null)
        {
            _ = passwordHasher.Hash(password);
            throw new AuthenticationFailedException(ClientMessages.Auth.InvalidCredentials);
        }

        if (!passwordHasher.Verify(user.PasswordHash, password))
        {
            throw new AuthenticationFailedException(ClientMessages.Auth.InvalidCredentials);
        }

        var token = tokenIssuer.Issue(user);
        return new LogInResponse(token.Value, "Bearer", token.ExpiresInSeconds);
    }
}
