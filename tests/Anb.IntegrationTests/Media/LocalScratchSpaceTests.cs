using Anb.Infrastructure.Media;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Anb.IntegrationTests.Media;

/// <summary>Scratch folders on the real file system: what a worker killed outright leaves is removed by the next one.</summary>
public sealed class LocalScratchSpaceTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"anb-scratch-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Create_WhileAnotherWorkerLives_LeavesItsFoldersAlone()
    {
        using var alive = NewSpace();
        var busy = alive.Create(Guid.NewGuid());
        File.WriteAllText(busy.PathOf("original.mp4"), "bytes");

        using var next = NewSpace();
        using var own = next.Create(Guid.NewGuid());

        Assert.True(File.Exists(busy.PathOf("original.mp4")));
        Assert.Equal(2, Directory.GetDirectories(root, LocalScratchSpace.ProcessFolderPrefix + "*").Length);
    }

    [Fact]
    public void Create_AfterAWorkerDiedWithoutCleaningUp_RemovesWhatItLeft()
    {
        // What a killed worker leaves: its folder and lock file, which no process holds any more.
        var deadFolder = Path.Combine(root, $"{LocalScratchSpace.ProcessFolderPrefix}{Guid.NewGuid():N}");
        var attempt = Path.Combine(deadFolder, $"{Guid.NewGuid():N}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(attempt);
        File.WriteAllText(Path.Combine(attempt, "original.mp4"), "bytes");
        File.WriteAllText(Path.Combine(deadFolder, ".lock"), string.Empty);

        using var next = NewSpace();
        using var own = next.Create(Guid.NewGuid());

        Assert.False(Directory.Exists(deadFolder));
        Assert.Single(Directory.GetDirectories(root, LocalScratchSpace.ProcessFolderPrefix + "*"));
    }

    [Fact]
    public void Dispose_GracefulStop_RemovesTheProcessFolder()
    {
        var space = NewSpace();
        space.Create(Guid.NewGuid()).Dispose();

        space.Dispose();

        Assert.Empty(Directory.GetDirectories(root));
    }

    private LocalScratchSpace NewSpace() =>
        new(Options.Create(new ScratchOptions { TempPath = root }), NullLogger<LocalScratchSpace>.Instance);
}
