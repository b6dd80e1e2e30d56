using Anb.Domain.Videos;
using Anb.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Infrastructure;

/// <summary>Puts videos in states that take the worker to reach, straight through the application's own model.</summary>
public static class Seed
{
    public static async Task<Guid> VideoAsync(this AnbApiFactory factory, Guid ownerId, VideoStatus status, string title = "Jugada")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnbDbContext>();
        var now = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7(now);
        var video = Video.Create(id, ownerId, title, $"originals/{id:N}.mp4", now);
        if (status is VideoStatus.Processing or VideoStatus.Processed or VideoStatus.Failed)
        {
            video.StartProcessing(now);
        }

        if (status == VideoStatus.Processed)
        {
            video.MarkProcessed($"processed/{id:N}.mp4", $"processed/{id:N}.jpg", now);
        }
        else if (status == VideoStatus.Failed)
        {
            video.MarkFailed("El archivo no se pudo decodificar.");
        }

        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return id;
    }
}
