using Anb.Domain.Videos;

namespace Anb.UnitTests.TestData;

internal static class VideoTestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 30, 0, TimeSpan.Zero);

    public static Video Uploaded(Guid? owner = null, Guid? id = null)
    {
        var videoId = id ?? Guid.NewGuid();
        return Video.Create(videoId, owner ?? Guid.NewGuid(), "Mate al aro", $"originals/{videoId:N}.mp4", Now);
    }

    public static Video Processing(Guid? owner = null, int attempts = 1)
    {
        var video = Uploaded(owner);
        for (var i = 0; i < attempts; i++)
        {
            video.StartProcessing(Now);
        }

        return video;
    }

    public static Video Processed(Guid? owner = null)
    {
        var video = Processing(owner);
        video.MarkProcessed($"processed/{video.Id:N}.mp4", $"processed/{video.Id:N}.jpg", Now.AddMinutes(1));
        return video;
    }
}
