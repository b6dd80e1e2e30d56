using Anb.Infrastructure.Persistence;

namespace Anb.IntegrationTests.Persistence;

/// <summary>
/// The coalescing rules on their own, with reads the test opens and closes: callers share reads, and no
/// caller gets the result of a read that started before it asked.
/// </summary>
public sealed class ReadCoalescerTests
{
    private readonly ReadCoalescer<string, int> coalescer = new();
    private readonly GatedReads reads = new();

    [Fact]
    public async Task ReadAsync_CallersArrivingDuringARead_ShareTheNextRead()
    {
        var first = coalescer.ReadAsync("top", reads.Start, default);
        var later = Enumerable.Range(0, 9).Select(_ => coalescer.ReadAsync("top", reads.Start, default)).ToList();

        Assert.Equal(1, reads.Started);
        reads.Complete(0, 100);
        Assert.Equal(100, await first);
        await reads.WaitForStartAsync(2);
        Assert.All(later, t => Assert.False(t.IsCompleted));

        reads.Complete(1, 200);
        Assert.All(await Task.WhenAll(later), value => Assert.Equal(200, value));
        Assert.Equal(2, reads.Started);
        Assert.Equal(0, coalescer.RunningCount);
    }

    [Fact]
    public async Task ReadAsync_CallerArrivingAfterAReadStarted_NeverGetsThatReadsResult()
    {
        var first = coalescer.ReadAsync("top", reads.Start, default);
        var second = coalescer.ReadAsync("top", reads.Start, default);

        reads.Complete(0, 1);
        await first;

        Assert.False(second.IsCompleted);
        await reads.WaitForStartAsync(2);
        reads.Complete(1, 2);
        Assert.Equal(2, await second);
    }

    [Fact]
    public async Task ReadAsync_NoReadRunning_StartsAtOnce()
    {
        var first = coalescer.ReadAsync("top", reads.Start, default);
        reads.Complete(0, 1);
        await first;

        var next = coalescer.ReadAsync("top", reads.Start, default);

        Assert.Equal(2, reads.Started);
        reads.Complete(1, 2);
        Assert.Equal(2, await next);
    }

    [Fact]
    public async Task ReadAsync_DifferentKeys_RunSideBySide()
    {
        var top = coalescer.ReadAsync("top", reads.Start, default);
        var bogota = coalescer.ReadAsync("bogota", reads.Start, default);

        Assert.Equal(2, reads.Started);
        Assert.Equal(new[] { "top", "bogota" }, reads.Keys);
        reads.Complete(1, 7);
        Assert.Equal(7, await bogota);
        Assert.False(top.IsCompleted);
        reads.Complete(0, 3);
        Assert.Equal(3, await top);
    }

    [Fact]
    public async Task ReadAsync_ReadFails_ItsCallersGetTheErrorAndTheWaitingBatchStillReads()
    {
        var failing = coalescer.ReadAsync("top", reads.Start, default);
        var waiting = coalescer.ReadAsync("top", reads.Start, default);

        reads.Fail(0, new InvalidOperationException("database down"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("database down", error.Message);

        await reads.WaitForStartAsync(2);
        reads.Complete(1, 5);
        Assert.Equal(5, await waiting);
        Assert.Equal(0, coalescer.RunningCount);
    }

    [Fact]
    public async Task ReadAsync_ReadThrowsBeforeReturningATask_CallerGetsTheError()
    {
        var call = coalescer.ReadAsync("top", _ => throw new InvalidOperationException("bad"), default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => call);
        Assert.Equal(0, coalescer.RunningCount);
    }

    [Fact]
    public async Task ReadAsync_OneCallerCancels_OthersStillGetTheResult()
    {
        using var cancel = new CancellationTokenSource();
        var leaving = coalescer.ReadAsync("top", reads.Start, cancel.Token);
        var staying = coalescer.ReadAsync("top", reads.Start, default);
        var alsoStaying = coalescer.ReadAsync("top", reads.Start, default);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);

        reads.Complete(0, 1);
        await reads.WaitForStartAsync(2);
        reads.Complete(1, 2);
        Assert.Equal(new[] { 2, 2 }, await Task.WhenAll(staying, alsoStaying));
    }

    /// <summary>Reads that stay open until the test completes or fails them, by start order.</summary>
    private sealed class GatedReads
    {
        private readonly Lock gate = new();
        private readonly List<TaskCompletionSource<int>> started = [];
        private readonly List<string> keys = [];

        public int Started
        {
            get
            {
                lock (gate)
                {
                    return started.Count;
                }
            }
        }

        public IReadOnlyList<string> Keys
        {
            get
            {
                lock (gate)
                {
                    return [.. keys];
                }
            }
        }

        public Task<int> Start(string key)
        {
            var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                started.Add(read);
                keys.Add(key);
            }

            return read.Task;
        }

        public void Complete(int index, int value) => Read(index).SetResult(value);

        public void Fail(int index, Exception error) => Read(index).SetException(error);

        // The next read starts on the thread that finished the previous one; wait for it, bounded.
        public async Task WaitForStartAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Started < count)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        private TaskCompletionSource<int> Read(int index)
        {
            lock (gate)
            {
                return started[index];
            }
        }
    }
}
