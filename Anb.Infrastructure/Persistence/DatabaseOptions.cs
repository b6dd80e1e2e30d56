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

    /// <summary>
    /// Connections one process may hold (Npgsql's <c>Max Pool Size</c>); 0 keeps the connection string's
    /// (Npgsql: 100). On AWS each service sets it so that the maximum tasks of both fit the database's
    /// connection limit (docs/deployment.md).
    /// </summary>
    [Range(0, 1000)]
    public int MaxPoolSize { get; set; }

    /// <summary>
    /// Whether the hosts apply migrations when they start (locally). On AWS it is false: the one-off
    /// <c>migrate</c> task of the worker image does it, with the master credentials, before the services update.
    /// </summary>
    public bool MigrateAtStartUp { get; set; } = true;

    /// <summary>
    /// The login role the services use, with data rights only; the <c>migrate</c> command creates it (or
    /// resets its password) and grants it those rights. Empty: no such role is managed.
    /// </summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Database:ApplicationRole must be a lower-case PostgreSQL identifier.")]
    public string ApplicationRole { get; set; } = string.Empty;

    /// <summary>The password the <c>migrate</c> command gives <see cref="ApplicationRole"/>.</summary>
    public string ApplicationRolePassword { get; set; } = string.Empty;

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

        if (MaxPoolSize > 0)
        {
            builder.MaxPoolSize = MaxPoolSize;
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
