namespace Anb.Application.Abstractions;

/// <summary>Stores video files by server-generated key (local folder or S3).</summary>
public interface IObjectStorage
{
    /// <summary>Streams <paramref name="content"/> to <paramref name="key"/>, replacing any object there.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the local file at <paramref name="sourcePath"/> under <paramref name="key"/>, replacing any object
    /// there. The file is handed over: a store on the same disk moves it rather than copying it, so the caller
    /// must not use it afterwards (deleting whatever may be left of it stays the caller's job).
    /// </summary>
    Task PutFileAsync(string key, string sourcePath, string contentType, CancellationToken cancellationToken);

    /// <summary>Copies the object at <paramref name="key"/> into a local file.</summary>
    /// <exception cref="FileNotFoundException">No object has that key.</exception>
    Task DownloadToFileAsync(string key, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The objects whose keys start with <paramref name="prefix"/>, in ordinal key order, from the first key after
    /// <paramref name="startAfter"/> (from the start when null); read page by page as the caller goes.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, string? startAfter, CancellationToken cancellationToken);

    /// <summary>A short-lived link that lets anyone holding it download the object.</summary>
    Uri GetDownloadUrl(string key);

    /// <summary>True when the store answers; used by the readiness check.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
