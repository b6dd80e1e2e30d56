using Anb.Application.Abstractions;

namespace Anb.IntegrationTests.Aws;

/// <summary>A transcoder stand-in that holds every call until <see cref="Open"/> (or cancellation), then copies its input.</summary>
internal sealed class GatedTranscoder : IVideoTranscoder
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int started;
    private int running;
    private int maxRunning;
    private int cancelled;

    public Task FirstStarted => firstStarted.Task;

    public int Started => Volatile.Read(ref started);

    public int MaxRunning => Volatile.Read(ref maxRunning);

    public int Cancelled => Volatile.Read(ref cancelled);

    public void Open() => gate.TrySetResult();

    public async Task TranscodeAsync(string inputPath, string outputPath, string posterPath, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref started);
        var now = Interlocked.Increment(ref running);
        InterlockedMax(ref maxRunning, now);
        firstStarted.TrySetResult();
        try
        {
            await gate.Task.WaitAsync(cancellationToken);
            File.Copy(inputPath, outputPath);
            await File.WriteAllTextAsync(posterPath, "poster", CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref cancelled);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
