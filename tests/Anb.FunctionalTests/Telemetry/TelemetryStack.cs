using Anb.FunctionalTests.Infrastructure;
using Anb.Infrastructure.Telemetry;
using Anb.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Anb.FunctionalTests.Telemetry;

/// <summary>
/// The API (its own registration) and an in-process worker host (the worker's registrations and telemetry, with
/// FFmpeg), both collecting telemetry into in-memory exporters; <see cref="QueueSettings"/> picks the queue.
/// </summary>
public abstract class TelemetryStack : AnbApiFactory
{
    /// <summary>Each player may start this many uploads an hour here (the rate-limit test passes it).</summary>
    public const int UploadsPerHour = 3;

    private static readonly Dictionary<string, string?> TelemetryOn = new() { ["Telemetry:Enabled"] = "true" };

    private IHost? worker;

    public InMemoryTelemetry ApiTelemetry { get; } = new();

    public InMemoryTelemetry WorkerTelemetry { get; } = new();

    public IHost Worker => worker ?? throw new InvalidOperationException("Not initialised.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = new Dictionary<string, string?>(TelemetryOn) { ["Transcoder:Preset"] = "ultrafast" };
        foreach (var (key, value) in QueueSettings())
        {
            settings[key] = value;
        }

        worker = await WorkerHostVideos.StartHangfireWorkerAsync(Database.ConnectionString, StorageRoot, settings, services =>
        {
            services.AddTelemetry(new ConfigurationBuilder().AddInMemoryCollection(TelemetryOn).Build(), "anb-worker");
            WorkerTelemetry.AddTo(services);
        });
    }

    public override async Task DisposeAsync()
    {
        if (worker is not null)
        {
            await worker.StopAsync();
            worker.Dispose();
        }

        await base.DisposeAsync();
    }

    /// <summary>The queue's settings, for the API and the worker alike.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> QueueSettings() => [];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. TelemetryOn, new("RateLimits:UploadsPerUserPerHour", UploadsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. QueueSettings()];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(ApiTelemetry.AddTo);
    }
}
