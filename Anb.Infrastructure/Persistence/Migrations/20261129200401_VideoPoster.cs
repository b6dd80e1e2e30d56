using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Anb.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VideoPoster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "poster_key",
                table: "videos",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "poster_key",
                table: "videos");
        }
    }
}
