using Anb.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Anb.FunctionalTests.Infrastructure;

/// <summary>The real API over HTTP against its own PostgreSQL database; one per test class.</summary>
public class AnbApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "functional-tests-signing-key-0123456789abcdef";

    // Tests of other behaviour must not meet the abuse limits; Security/ tests set their own.
    private static readonly string[] NoLimitsForOtherTests =
    [
        "SignUpsPerMinute", "LogInsPerMinute", "LogInFreeFailures", "UploadsInFlightPerUser", "UploadsPerUserPerHour",
        "UploadsInFlightPerInstance", "VotesPerUserPerMinute",
    ];

    private TestDatabase? database;

    /// <summary>The local storage root of this host; removed with it.</summary>
    public string StorageRoot { get; } = Path.Combine(Path.GetTempPath(), "anb-tests", $"storage-{Guid.NewGuid():N}");

    /// <summary>The host's warnings and errors, for failure messages.</summary>
    public CapturedLogs Logs { get; } = new();

    public TestDatabase Database => database ?? throw new InvalidOperationException("Not initialised.");

    public virtual async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        StartServer(); // start the host (a test server, or Kestrel after UseKestrel): migrations run now
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        if (Directory.Exists(StorageRoot))
        {
            Directory.Delete(StorageRoot, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.UseSetting("ConnectionStrings:Database", Database.ConnectionString);
        builder.UseSetting("Jwt:SigningKey", SigningKey);
        builder.UseSetting("Storage:Provider", "Local");
        builder.UseSetting("Storage:Local:RootPath", StorageRoot);
        builder.UseSetting("Storage:Local:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Rankings:CacheSeconds", "0");
        builder.UseSetting("PublicVideos:CacheSeconds", "0");
        foreach (var limit in NoLimitsForOtherTests)
        {
            builder.UseSetting($"RateLimits:{limit}", "100000");
        }

        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Extra configuration for a test class's host.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];
}
