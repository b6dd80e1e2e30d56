namespace Anb.Domain.Users;

/// <summary>A registered player. Email is stored normalised so uniqueness is case-insensitive.</summary>
public sealed class User
{
    private User()
    {
    }

    public Guid Id { get; private set; }

    public string FirstName { get; private set; } = string.Empty;

    public string LastName { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    public string PasswordHash { get; private set; } = string.Empty;

    public string City { get; private set; } = string.Empty;

    public string Country { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public string DisplayName => $"{FirstName} {LastName}";

    public static User Create(
        string firstName,
        string lastName,
        string email,
        string passwordHash,
        string city,
        string country,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        return new User
        {
            Id = Guid.CreateVersion7(now),
            FirstName = firstName.Trim(),
            LastName = lastName.Trim(),
            Email = NormalizeEmail(email),
            PasswordHash = passwordHash,
            City = city.Trim(),
            Country = country.Trim(),
            CreatedAt = now,
        };
    }

    /// <summary>The one spelling of an email address used for storage and look-ups.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
