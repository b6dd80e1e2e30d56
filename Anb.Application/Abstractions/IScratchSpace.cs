namespace Anb.Application.Abstractions;

/// <summary>Private local folders for work in progress (the worker's download and FFmpeg output).</summary>
public interface IScratchSpace
{
    /// <summary>Creates an empty folder of its own for <paramref name="videoId"/>; disposing it deletes the folder.</summary>
    IScratchFolder Create(Guid videoId);
}

/// <summary>A folder from <see cref="IScratchSpace"/>; disposing it deletes it and what it holds (a failure is logged, not thrown).</summary>
public interface IScratchFolder : IDisposable
{
    /// <summary>The path of a file named <paramref name="fileName"/> inside the folder.</summary>
    string PathOf(string fileName);
}
