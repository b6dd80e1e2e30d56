using System.Net.Sockets;
using Amazon.Runtime;
using Npgsql;

namespace Anb.Infrastructure.Common;

/// <summary>Tells a dependency that is down or overloaded (the request may succeed later) from a defect.</summary>
public static class DependencyFailures
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, says the database, S3 or SQS could not be
    /// reached, dropped the connection, or refused for load.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 08 connection, 53 insufficient resources, 57P operator intervention (shutdown, restart).
                case PostgresException pg:
                    return pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal);
                case NpgsqlException:
                    return true; // no server answer at all: refused, reset, timed out
                case AmazonServiceException aws when (int)aws.StatusCode >= 500:
                    return true;
                case HttpRequestException or SocketException or TimeoutException:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }
}
