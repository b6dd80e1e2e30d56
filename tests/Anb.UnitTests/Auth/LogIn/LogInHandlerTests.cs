using Anb.Application.Abstractions;
using Anb.Application.Auth.LogIn;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Domain.Users;
using Moq;

namespace Anb.UnitTests.Auth.LogIn;

public sealed class LogInHandlerTests
{
    private readonly Mock<IUserRepository> users = new();
    private readonly Mock<IPasswordHasher> hasher = new();
    private readonly Mock<IAccessTokenIssuer> tokens = new();
    private readonly User user = User.Create("Ana", "Gómez", "ana@example.com", "HASH", "Bogotá", "Colombia", DateTimeOffset.UtcNow);

    private LogInHandler CreateHandler() => new(users.Object, hasher.Object, tokens.Object);

    [Fact]
    public async Task Handle_RightPassword_ReturnsBearerToken()
    {
        users.Setup(u => u.FindByEmailAsync("ana@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(user);
        hasher.Setup(h => h.Verify("HASH", "s3cret-pass")).Returns(true);
        tokens.Setup(t => t.Issue(user)).Returns(new AccessToken("jwt-value", 3600));

        var response = await CreateHandler().Handle(new LogInCommand(" ANA@example.com ", "s3cret-pass"), default);

        Assert.Equal(new LogInResponse("jwt-value", "Bearer", 3600), response);
    }

    [Fact]
    public async Task Handle_WrongPassword_ThrowsInvalidCredentials()
    {
        users.Setup(u => u.FindByEmailAsync("ana@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(user);
        hasher.Setup(h => h.Verify("HASH", "wrong")).Returns(false);

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => CreateHandler().Handle(new LogInCommand("ana@example.com", "wrong"), default).AsTask());

        Assert.Equal(ClientMessages.Auth.InvalidCredentials, error.Message);
        tokens.Verify(t => t.Issue(It.IsAny<User>()), Times.Never);
    }

    [Fact]
    public async Task Handle_UnknownEmail_ThrowsSameMessageAndStillHashes()
    {
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => CreateHandler().Handle(new LogInCommand("nobody@example.com", "whatever1"), default).AsTask());

        Assert.Equal(ClientMessages.Auth.InvalidCredentials, error.Message);
        hasher.Verify(h => h.Hash("whatever1"), Times.Once);
    }
}
