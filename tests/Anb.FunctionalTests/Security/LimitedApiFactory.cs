using Anb.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Security;

/// <summary>The API with the limits a test class sets (<see cref="AnbApiFactory.Settings"/>), reached from chosen addresses.</summary>
public abstract class LimitedApiFactory : AnbApiFactory
{
    /// <summary>The upload spool of this host, to see uploads in flight.</summary>
    public string SpoolFolder { get; } = Path.Combine(Path.GetTempPath(), "anb-tests", $"spool-{Guid.NewGuid():N}");

    /// <summary>A client whose requests come from <paramref name="peer"/>, to a host name that is not loopback.</summary>
    public HttpClient ClientFrom(string peer)
    {
        var client = CreateDefaultClient(new Uri("http://anb.example"));
        client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, peer);
        return client;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(SpoolFolder))
        {
            Directory.Delete(SpoolFolder, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Upload:TempPath", SpoolFolder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PeerAddressFilter>());
    }
}
