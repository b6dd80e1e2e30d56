using Anb.Domain.Users;

namespace Anb.UnitTests.Domain;

public sealed class UserTests
{
    [Fact]
    public void Create_NormalisesEmailAndTrimsNames()
    {
        var now = DateTimeOffset.UtcNow;

        var user = User.Create(" Ana ", " Gómez ", "  Ana.Gomez@Example.COM ", "hash", " Bogotá ", " Colombia ", now);

        Assert.Equal("ana.gomez@example.com", user.Email);
        Assert.Equal("Ana Gómez", user.DisplayName);
        Assert.Equal("Bogotá", user.City);
        Assert.Equal("Colombia", user.Country);
        Assert.Equal(now, user.CreatedAt);
        Assert.NotEqual(Guid.Empty, user.Id);
    }

    [Fact]
    public void Create_WithoutPasswordHash_Throws() =>
        Assert.Throws<ArgumentException>(() => User.Create("a", "b", "a@b.co", " ", "c", "d", DateTimeOffset.UtcNow));
}
