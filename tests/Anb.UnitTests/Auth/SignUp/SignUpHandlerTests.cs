using Anb.Application.Abstractions;
using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Domain.Users;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Auth.SignUp;

public sealed class SignUpHandlerTests
{
    private readonly Mock<IUserRepository> users = new();
    private readonly Mock<IUnitOfWork> unitOfWork = new();
    private readonly Mock<IPasswordHasher> hasher = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 10, 14, 30, 0, TimeSpan.Zero));

    private SignUpHandler CreateHandler() => new(users.Object, unitOfWork.Object, hasher.Object, time);

    [Fact]
    public async Task Handle_NewEmail_StoresHashedUserAndAnswersCreated()
    {
        hasher.Setup(h => h.Hash("s3cret-pass")).Returns("HASHED");
        User? added = null;
        users.Setup(u => u.Add(It.IsAny<User>())).Callback<User>(u => added = u);

        var response = await CreateHandler().Handle(SignUpValidatorTests.Valid() with { Email = "Ana@Example.com" }, default);

        Assert.NotNull(added);
        Assert.Equal("HASHED", added.PasswordHash);
        Assert.Equal("ana@example.com", added.Email);
        Assert.Equal(time.GetUtcNow(), added.CreatedAt);
        Assert.Equal(added.Id, response.UserId);
        Assert.Equal(ClientMessages.Auth.UserCreated, response.Message);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Handle_ExistingEmail_ThrowsDuplicateWithoutSaving()
    {
        users.Setup(u => u.EmailExistsAsync("ana@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(
            () => CreateHandler().Handle(SignUpValidatorTests.Valid() with { Email = "ANA@example.com" }, default).AsTask());

        Assert.Equal(ClientMessages.Auth.DuplicateEmail, error.Message);
        users.Verify(u => u.Add(It.IsAny<User>()), Times.Never);
        unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Handle_LostRaceOnUniqueEmail_ThrowsDuplicate()
    {
        hasher.Setup(h => h.Hash(It.IsAny<string>())).Returns("HASHED");
        unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new UniqueConstraintViolationException("ix_users_email", new InvalidOperationException()));

        var error = await Assert.ThrowsAsync<BusinessRuleException>(
            () => CreateHandler().Handle(SignUpValidatorTests.Valid(), default).AsTask());

        Assert.Equal(ClientMessages.Auth.DuplicateEmail, error.Message);
    }
}
