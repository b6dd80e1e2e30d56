using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Anb.Infrastructure.Persistence;

internal static class PersistenceSetup
{
    public const string ConnectionStringName = "Database";

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// The connection string from configuration, with the password replaced by <c>Database:Password</c>
    /// when that is set (on ECS the password comes from Secrets Manager on its own).
    /// </summary>
    public static string BuildConnectionString(string? connectionString, string? password)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        // The application keeps no session state on a connection, so a pooled connection needs no
        // DISCARD ALL on reuse, and hot statements stay prepared on the server (unless configured otherwise).
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }
}
