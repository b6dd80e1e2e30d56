using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Anb.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VideoQueuedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "queued_at",
                table: "videos",
                type: "timestamp with time zone",
                nullable: true);

            // Rows from before the outbox were queued by their upload (or the upload failed and removed them):
            // they keep the stale-video sweep's long rule, counted from their upload as before.
            migrationBuilder.Sql("UPDATE videos SET queued_at = uploaded_at;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "queued_at",
                table: "videos");
        }
    }
}
