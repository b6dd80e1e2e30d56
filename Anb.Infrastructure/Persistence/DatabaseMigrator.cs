using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Anb.Infrastructure.Persistence;

/// <summary>
/// Applies pending migrations under a PostgreSQL advisory lock, so an API and a worker starting
/// together migrate once: the second waits for the first and then finds nothing to do.
/// </summary>
public static partial class DatabaseMigrator
{
    private const long MigrationLockId = 0x414E_425F_4D49_47; // "ANB_MIG"

    /// <summary>
    /// What a host does on start: migrate when <see cref="DatabaseOptions.MigrateAtStartUp"/> is on (locally),
    /// nothing otherwise (on AWS the <c>migrate</c> task has done it before the services update).
    /// </summary>
    public static async Task MigrateAtStartUpAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateAtStartUp)
        {
            await MigrateAsync(services, cancellationToken);
            return;
        }

        LogNotMigrating(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator)));
    }

    /// <summary>
    /// Creates <see cref="DatabaseOptions.ApplicationRole"/> when it is missing, sets its password, and grants it
    /// data rights only (connect; select, insert, update, delete on the tables, use of the sequences) in every
    /// schema the connected user owns. No DDL, no ownership: a compromised service cannot drop or alter the
    /// schema. Run after <see cref="MigrateAsync"/>, with the owner's (master) credentials.
    /// </summary>
    public static async Task GrantApplicationRoleAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (string.IsNullOrEmpty(options.ApplicationRole))
        {
            return;
        }

        if (string.IsNullOrEmpty(options.ApplicationRolePassword))
        {
            throw new InvalidOperationException("Database:ApplicationRolePassword is needed with Database:ApplicationRole.");
        }

        var role = Identifier(options.ApplicationRole);
        var password = "'" + options.ApplicationRolePassword.Replace("'", "''", StringComparison.Ordinal) + "'";
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var exists = await ScalarAsync(connection, "SELECT count(*) FROM pg_roles WHERE rolname = $1", options.ApplicationRole, cancellationToken);
        var database = Identifier((string)(await ScalarAsync(connection, "SELECT current_database()", null, cancellationToken))!);
        var schemas = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) " +
            "OR nspname = 'public' ORDER BY nspname",
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                schemas.Add(Identifier(reader.GetString(0)));
            }
        }

        var statements = new List<string>
        {
            // A new role is NOSUPERUSER NOCREATEDB NOCREATEROLE by default. Only a superuser may name SUPERUSER
            // in ALTER ROLE, and RDS's master user is not one, so those attributes are not repeated here.
            (long)exists! == 0 ? $"CREATE ROLE {role} LOGIN" : $"ALTER ROLE {role} LOGIN",
            $"ALTER ROLE {role} NOINHERIT PASSWORD {password}",
            $"GRANT CONNECT ON DATABASE {database} TO {role}",
        };
        foreach (var schema in schemas)
        {
            statements.Add($"GRANT USAGE ON SCHEMA {schema} TO {role}");
            statements.Add($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}");
            statements.Add($"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}");
        }

        foreach (var statement in statements)
        {
            // Not through EF: its command log would carry the password.
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogGranted(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator)), options.ApplicationRole, schemas.Count);
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnbDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockId})", cancellationToken);
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    LogApplying(logger, pending.Count, string.Join(", ", pending));
                    await db.Database.MigrateAsync(cancellationToken);
                }

                // Hangfire prepares its own schema when its storage is first built: build it now, under the
                // same lock (two hosts installing it at once collide), not on the first upload.
                _ = scope.ServiceProvider.GetService<Hangfire.JobStorage>();
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockId})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, string? parameter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.AddWithValue(parameter);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database:MigrateAtStartUp is off: migrations are left to the migrate task")]
    private static partial void LogNotMigrating(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Role {Role} has data rights in {Schemas} schema(s)")]
    private static partial void LogGranted(ILogger logger, string role, int schemas);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, string migrations);
}
