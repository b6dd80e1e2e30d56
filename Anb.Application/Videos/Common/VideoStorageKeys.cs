namespace Anb.Application.Videos.Common;

/// <summary>Storage keys are made by the server from the video id, never from a client's file name.</summary>
public static class VideoStorageKeys
{
    public static string Original(Guid videoId) => $"originals/{videoId:N}.mp4";

    public static string Processed(Guid videoId) => $"processed/{videoId:N}.mp4";

    /// <summary>The poster (a JPEG frame of the clip's body), beside the processed file.</summary>
    public static string Poster(Guid videoId) => $"processed/{videoId:N}.jpg";

    /// <summary>What processing stores for a video: the processed file and its poster.</summary>
    public static IReadOnlyList<string> Results(Guid videoId) => [Processed(videoId), Poster(videoId)];
}
