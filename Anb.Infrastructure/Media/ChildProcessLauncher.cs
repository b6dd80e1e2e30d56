using System.Collections.Concurrent;
using System.Diagnostics;

namespace Anb.Infrastructure.Media;

/// <summary>
/// Starts child processes from one thread that lives as long as the process. Linux sends a child's
/// parent-death signal when the thread that forked it exits, not the process, and thread-pool threads
/// come and go: a child started from one could be killed in the middle of its work.
/// </summary>
internal static class ChildProcessLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = StartThread();

    /// <summary>Calls <see cref="Process.Start()"/> on the launcher thread.</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static BlockingCollection<(Process, TaskCompletionSource)> StartThread()
    {
        var requests = new BlockingCollection<(Process, TaskCompletionSource)>();
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in requests.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception ex)
                {
                    started.SetException(ex);
                }
            }
        })
        {
            IsBackground = true,
            Name = "Child process launcher",
        };
        thread.Start();
        return requests;
    }
}
