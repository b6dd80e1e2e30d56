using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Domain.Users;
using Mediator;

namespace Anb.Application.Auth.SignUp;

public sealed class SignUpHandler(
    IUserRepository users,
    IUnitOfWork unitOfWork,
    IPasswordHasher passwordHasher,
    TimeProvider timeProvider) : ICommandHandler<SignUpCommand, SignUpResponse>
{
    public async ValueTask<SignUpResponse> Handle(SignUpCommand command, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(command.Email!);
        if (await users.EmailExistsAsync(email, cancellationToken))
        {
            throw new BusinessRuleException(ClientMessages.Auth.DuplicateEmail);
        }

        var user = User.Create(
            command.FirstName!,
            command.LastName!,
            email,
            passwordHasher.Hash(command.Password1!),
            command.City!,
            command.Country!,
            timeProvider.GetUtcNow());
        users.Add(user);
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (UniqueConstraintViolationException)
        {
            // Another sign-up with the same email won the race between the check and the insert.
            throw new BusinessRuleException(ClientMessages.Auth.DuplicateEmail);
        }

        return new SignUpResponse(ClientMessages.Auth.UserCreated, user.Id);
    }
}
