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

    [Theory]
    [InlineData("Bogotá", "bogota")]
    [InlineData("  BOGOTÁ  ", "bogota")]
    [InlineData("San  José del Guaviare", "san jose del guaviare")]
    [InlineData("Medellín", "medellin")]
    [InlineData("São Paulo", "sao paulo")]
    public void NormalizeCity_IgnoresCaseAccentsAndSpacing(string city, string expected) =>
        Assert.Equal(expected, User.NormalizeCity(city));

    [Fact]
    public void Create_StoresCityKeyAndStartsWithoutVotes()
    {
        var user = User.Create("a", "b", "a@b.co", "h", "Bogotá", "Colombia", DateTimeOffset.UtcNow);

        Assert.Equal("bogota", user.CityKey);
        Assert.Equal(0, user.TotalVotes);
    }
}
