using Anb.Application;
using Anb.Application.Abstractions;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Anb.Tests.Shared;

/// <summary>Seeding, queueing and waiting on videos through an in-process worker host's own services.</summary>
public static class WorkerHostVideos
{
    /// <summary>
    /// A started in-process worker host (Hangfire queue, local storage under <paramref name="storageRoot"/>) on
    /// a migrated <paramref name="connectionString"/>; <paramref name="settings"/> add to or override the defaults,
    /// <paramref name="configure"/> replaces services (a scripted transcoder).
    /// </summary>
    public static async Task<IHost> StartHangfireWorkerAsync(
        string connectionString,
        string storageRoot,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["Storage:Provider"] = "Local",
            ["Storage:Local:RootPath"] = storageRoot,
            ["Queue:Provider"] = "Hangfire",
            ["Processing:MaxAttempts"] = "3",
            ["Processing:RetryBaseDelaySeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddWorkerInfrastructure(builder.Configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await DatabaseMigrator.MigrateAsync(host.Services);
        await host.StartAsync();
        return host;
    }

    /// <summary>A new user and an uploaded video of theirs, with three bytes as its original in the host's storage.</summary>
    public static async Task<Video> SeedUploadedVideoAsync(this IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnbDbContext>();
        var storage = scope.ServiceProvider.GetRequiredService<IObjectStorage>();
        var user = User.Create("A", "B", $"{Guid.NewGuid():N}@example.com", "h", "Cali", "Colombia", DateTimeOffset.UtcNow);
        var id = Guid.NewGuid();
        var video = Video.Create(id, user.Id, "clip", $"originals/{id:N}.mp4", DateTimeOffset.UtcNow);
        await storage.PutAsync(video.OriginalKey, new MemoryStream([1, 2, 3]), "video/mp4", default);
        db.Users.Add(user);
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return video;
    }

    /// <summary>Enqueues the video and marks its row queued, as the upload does.</summary>
    public static async Task EnqueueProcessingAsync(this IHost host, Guid videoId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IVideoQueue>().EnqueueProcessingAsync(videoId, default);
        await scope.ServiceProvider.GetRequiredService<IVideoRepository>().MarkQueuedAsync(videoId, default);
    }

    public static async Task<Video> FindVideoAsync(this IHost host, Guid videoId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnbDbContext>().Videos.AsNoTracking().SingleAsync(v => v.Id == videoId);
    }

    public static async Task<Video> WaitForVideoStatusAsync(this IHost host, Guid videoId, VideoStatus status, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var video = await host.FindVideoAsync(videoId);
            if (video.Status == status)
            {
                return video;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Video {videoId} is {video.Status}, expected {status}.");
            await Task.Delay(100);
        }
    }
}
