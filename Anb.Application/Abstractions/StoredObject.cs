namespace Anb.Application.Abstractions;

/// <summary>An object in <see cref="IObjectStorage"/>: its key and when it was last written.</summary>
public sealed record StoredObject(string Key, DateTimeOffset LastModified);
