using Anb.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Anb.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.FirstName).HasMaxLength(100).IsRequired();
        builder.Property(u => u.LastName).HasMaxLength(100).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(254).IsRequired();
        builder.Property(u => u.PasswordHash).HasMaxLength(512).IsRequired();
        builder.Property(u => u.City).HasMaxLength(100).IsRequired();
        builder.Property(u => u.Country).HasMaxLength(100).IsRequired();
        builder.Property(u => u.CreatedAt).IsRequired();
        builder.Property(u => u.CityKey).HasMaxLength(100).IsRequired();
        builder.Property(u => u.TotalVotes).HasDefaultValue(0);
        builder.Ignore(u => u.DisplayName);

        // Emails are stored normalised (trimmed, lower case), so this index makes them unique ignoring case.
        builder.HasIndex(u => u.Email).IsUnique();

        // Rankings read these indexes in order: no sort, no scan of the votes table.
        builder.HasIndex(u => new { u.TotalVotes, u.CreatedAt, u.Id }).IsDescending(true, false, false)
            .HasDatabaseName("ix_users_ranking");
        builder.HasIndex(u => new { u.CityKey, u.TotalVotes, u.CreatedAt, u.Id }).IsDescending(false, true, false, false)
            .HasDatabaseName("ix_users_city_ranking");
    }
}
