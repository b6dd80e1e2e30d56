namespace Anb.Infrastructure.Persistence;

/// <summary>
/// Runs identical reads once for all the callers waiting on them, without serving anything stale: a caller
/// never joins a read that is already running (it may have started before the caller's request, and miss a
/// write the caller has seen committed); it joins the next read of its key, which starts as soon as the
/// running one ends. Every answer therefore comes from a read that started after its caller asked: as fresh
/// as the caller's own read would have been. Nothing is kept once a read's callers have their answer.
/// </summary>
/// <remarks>
/// Per key there is at most one read running and one batch of callers waiting for the next, so under load
/// the database sees at most one query per key per query duration, and the batches grow with the load.
/// </remarks>
internal sealed class ReadCoalescer<TKey, TValue>
    where TKey : notnull
{
    private readonly Lock gate = new();

    // A key is present while a read of it runs; its value is the batch waiting for the next read, if any.
    private readonly Dictionary<TKey, TaskCompletionSource<TValue>?> running = [];

    /// <summary>The result of a read of <paramref name="key"/> that starts after this call.</summary>
    /// <param name="read">The read; it gets no caller's cancellation token, as other callers may share it.</param>
    /// <param name="cancellationToken">Stops this caller's wait only.</param>
    public Task<TValue> ReadAsync(TKey key, Func<TKey, Task<TValue>> read, CancellationToken cancellationToken)
    {
        var batch = NewBatch();
        lock (gate)
        {
            if (running.TryGetValue(key, out var next))
            {
                if (next is null)
                {
                    running[key] = next = batch;
                }

                return next.Task.WaitAsync(cancellationToken);
            }

            running.Add(key, null);
        }

        _ = ReadInTurnsAsync(key, batch, read);
        return batch.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Number of keys with a read running (for tests and diagnostics).</summary>
    public int RunningCount
    {
        get
        {
            lock (gate)
            {
                return running.Count;
            }
        }
    }

    private async Task ReadInTurnsAsync(TKey key, TaskCompletionSource<TValue> batch, Func<TKey, Task<TValue>> read)
    {
        while (true)
        {
            var value = default(TValue);
            Exception? error = null;
            try
            {
                value = await read(key);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            // The key's state changes before the callers hear back, so a caller that asks again at once
            // starts a read of its own rather than waiting behind a finished one.
            TaskCompletionSource<TValue>? next;
            lock (gate)
            {
                next = running[key];
                if (next is null)
                {
                    running.Remove(key);
                }
                else
                {
                    running[key] = null;
                }
            }

            if (error is null)
            {
                batch.TrySetResult(value!);
            }
            else
            {
                batch.TrySetException(error);
            }

            if (next is null)
            {
                return;
            }

            batch = next;
        }
    }

    // Continuations run on the thread pool, so the callers of one batch finish in parallel and the next
    // read starts without waiting for them.
    private static TaskCompletionSource<TValue> NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
