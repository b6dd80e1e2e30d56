using System.Globalization;
using System.Text;

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

    /// <summary>The city folded for look-ups that ignore case and accents ("Bogotá" and "bogota" match).</summary>
    public string CityKey { get; private set; } = string.Empty;

    /// <summary>Votes received by this player's videos, kept in step with the votes table in the same transaction.</summary>
    public int TotalVotes { get; private set; }

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
            CityKey = NormalizeCity(city),
            Country = country.Trim(),
            CreatedAt = now,
        };
    }

    /// <summary>Lower case, no diacritics, single spaces: the form cities are compared in.</summary>
    public static string NormalizeCity(string city)
    {
        var decomposed = city.Trim().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var space = char.IsWhiteSpace(c);
            if (!(space && lastWasSpace))
            {
                folded.Append(space ? ' ' : char.ToLowerInvariant(c));
            }

            lastWasSpace = space;
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The one spelling of an email address used for storage and look-ups.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
