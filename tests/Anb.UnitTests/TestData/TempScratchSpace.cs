using Anb.Application.Abstractions;

namespace Anb.UnitTests.TestData;

/// <summary>Scratch folders under one test-owned root, so a test can see that each was removed.</summary>
internal sealed class TempScratchSpace(string root) : IScratchSpace
{
    public IScratchFolder Create(Guid videoId)
    {
        var path = Path.Combine(root, $"{videoId:N}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new Folder(path);
    }

    private sealed class Folder(string path) : IScratchFolder
    {
        public string PathOf(string fileName) => Path.Combine(path, fileName);

        public void Dispose() => Directory.Delete(path, recursive: true);
    }
}
