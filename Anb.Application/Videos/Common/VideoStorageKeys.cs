namespace Anb.Application.Videos.Common;

/// <summary>Storage keys are made by the server from the video id, never from a client's file name.</summary>
public static class VideoStorageKeys
{
    public static string Original(Guid videoId) => $"originals/{videoId:N}.mp4";

    public static string Processed(Guid videoId) => $"processed/{videoId:N}.mp4";
}
