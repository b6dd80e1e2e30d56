using Anb.Application.Videos.ProcessVideo;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Anb.Infrastructure.Persistence.Configurations;

internal sealed class VideoConfiguration : IEntityTypeConfiguration<Video>
{

    public void Configure(EntityTypeBuilder<Video> builder)
    {
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Title).HasMaxLength(Video.MaxTitleLength).IsRequired();
        builder.Property(v => v.Status)
            .HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<VideoStatus>(s, true))
            .HasMaxLength(16)
            .IsRequired();
        builder.Property(v => v.OriginalKey).HasMaxLength(300).IsRequired();
        builder.Property(v => v.ProcessedKey).HasMaxLength(300);
        builder.Property(v => v.PosterKey).HasMaxLength(300);
        builder.Property(v => v.FailureReason).HasMaxLength(500);
        builder.Property(v => v.VoteCount).HasDefaultValue(0);
        builder.Property(v => v.LeaseOwner).HasMaxLength(WorkerIdentity.MaxLength);
        builder.Ignore(v => v.IsPublic);

        // PostgreSQL's row version: a worker and a delete (or two workers) cannot both win.
        builder.Property<uint>("Version").IsRowVersion();

        builder.HasOne<User>().WithMany().HasForeignKey(v => v.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.OwnerId, v.UploadedAt });
        builder.HasIndex(v => new { v.Status, v.ProcessingStartedAt });

        // The public list: processed videos by votes, then newest.
        builder.HasIndex(v => new { v.VoteCount, v.ProcessedAt, v.Id }).IsDescending(true, true, false)
            .HasFilter("status = 'processed'")
            .HasDatabaseName("ix_videos_public");

        // Rankings list only players: whether a user has a processed video is one index-only probe.
        builder.HasIndex(v => v.OwnerId)
            .HasFilter("status = 'processed'")
            .HasDatabaseName("ix_videos_processed_owner");
    }
}
