using System.Collections.Concurrent;
using Anb.Application.Abstractions;

namespace Anb.IntegrationTests.Queue;

/// <summary>A transcoder stand-in that copies its input and fails on demand, keyed by video id in the path.</summary>
internal sealed class ScriptedTranscoder : IVideoTranscoder
{
    private readonly ConcurrentDictionary<Guid, int> failuresLeft = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<DateTime>> calls = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> holds = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> started = new();

    /// <summary>Transcodes of <paramref name="videoId"/> wait until the returned source is completed.</summary>
    public TaskCompletionSource Hold(Guid videoId) =>
        holds.GetOrAdd(videoId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Completes when a transcode of <paramref name="videoId"/> has begun.</summary>
    public Task Started(Guid videoId) =>
        started.GetOrAdd(videoId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void FailTimes(Guid videoId, int times) => failuresLeft[videoId] = times;

    public int Calls(Guid videoId) => calls.TryGetValue(videoId, out var c) ? c.Count : 0;

    public IReadOnlyList<DateTime> CallTimes(Guid videoId) => calls.TryGetValue(videoId, out var c) ? [.. c] : [];

    public async Task TranscodeAsync(string inputPath, string outputPath, string posterPath, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var videoId = Guid.ParseExact(Path.GetFileName(Path.GetDirectoryName(inputPath)!)[..32], "N");
        calls.GetOrAdd(videoId, _ => new ConcurrentQueue<DateTime>()).Enqueue(DateTime.UtcNow);
        started.GetOrAdd(videoId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (holds.TryGetValue(videoId, out var hold))
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (failuresLeft.TryGetValue(videoId, out var left) && left > 0)
        {
            failuresLeft[videoId] = left - 1;
            throw new VideoTranscodingException("scripted failure");
        }

        File.Copy(inputPath, outputPath);
        await File.WriteAllTextAsync(posterPath, "poster", CancellationToken.None);
    }
}
