using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Domain.Votes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Anb.Infrastructure.Persistence.Configurations;

internal sealed class VoteConfiguration : IEntityTypeConfiguration<Vote>
{
    public void Configure(EntityTypeBuilder<Vote> builder)
    {
        // The key is the "one vote per player per video" rule, enforced by the database.
        builder.HasKey(v => new { v.UserId, v.VideoId });
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Video>().WithMany().HasForeignKey(v => v.VideoId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => v.VideoId);
    }
}
