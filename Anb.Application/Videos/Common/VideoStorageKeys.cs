namespace Anb.Application.Videos.Common;

/// <summary>Storage keys are made by the server from the video id, never from a client's file name.</summary>
public static class VideoStorageKeys
{
    /// <summary>Where every original is stored.</summary>
    public const string OriginalsPrefix = "originals/";

    private const string OriginalExtension = ".mp4";

    public static string Original(Guid videoId) => $"{OriginalsPrefix}{videoId:N}{OriginalExtension}";

    /// <summary>The video whose original <paramref name="key"/> is; false for any other key.</summary>
    public static bool TryParseOriginal(string key, out Guid videoId)
    {
        videoId = Guid.Empty;
        return key.StartsWith(OriginalsPrefix, StringComparison.Ordinal)
            && key.EndsWith(OriginalExtension, StringComparison.Ordinal)
            && Guid.TryParseExact(key.AsSpan(OriginalsPrefix.Length, key.Length - OriginalsPrefix.Length - OriginalExtension.Length), "N", out videoId)
            && key == Original(videoId);
    }

    public static string Processed(Guid videoId) => $"processed/{videoId:N}.mp4";

    /// <summary>The poster (a JPEG frame of the clip's body), beside the processed file.</summary>
    public static string Poster(Guid videoId) => $"processed/{videoId:N}.jpg";

    /// <summary>What processing stores for a video: the processed file and its poster.</summary>
    public static IReadOnlyList<string> Results(Guid videoId) => [Processed(videoId), Poster(videoId)];
}
