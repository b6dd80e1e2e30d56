using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Anb.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RankingsListPlayersOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_videos_processed_owner",
                table: "videos",
                column: "owner_id",
                filter: "status = 'processed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_videos_processed_owner",
                table: "videos");
        }
    }
}
