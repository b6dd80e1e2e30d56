using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Anb.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VideoProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "progress",
                table: "videos",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "progress",
                table: "videos");
        }
    }
}
