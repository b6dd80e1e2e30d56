namespace Anb.Application.Abstractions;

public static class ObjectStorageExtensions
{
    /// <summary><see cref="IObjectStorage.GetDownloadUrl"/> of an optional object: null when there is no key.</summary>
    public static Uri? LinkTo(this IObjectStorage storage, string? key) => key is null ? null : storage.GetDownloadUrl(key);
}
