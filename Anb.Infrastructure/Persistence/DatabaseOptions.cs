using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Anb.Infrastructure.Persistence;

/// <summary>
/// The database connection: <c>ConnectionStrings:Database</c>, with its password replaced by
/// <c>Database:Password</c> when that is set (on ECS the password comes from Secrets Manager on its own).
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Database";

    /// <summary>Bound from <c>ConnectionStrings:Database</c>.</summary>
    [Required(ErrorMessage = "ConnectionStrings:Database is not configured.")]
    public string ConnectionString { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    /// <summary>The one connection string of the application (EF Core, the showcase reads and Hangfire).</summary>
    public string BuildConnectionString()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (!string.IsNullOrEmpty(Password))
        {
            builder.Password = Password;
        }

        // The application keeps no session state on a connection, so a pooled connection needs no
        // DISCARD ALL on reuse, and hot statements stay prepared on the server (unless configured otherwise).
        if (!ConnectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        if (!ConnectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }
}
