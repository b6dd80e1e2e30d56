using System.Diagnostics;
using System.Globalization;

namespace Anb.IntegrationTests.Aws;

/// <summary>A running <c>Anb.WorkerHost.dll</c> (from this test project's output) with its console output captured.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];
    private bool disposed;

    private WorkerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> environment)
    {
        var binaries = AppContext.BaseDirectory;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = binaries,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(binaries, "Anb.WorkerHost.dll"));
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new WorkerProcess(Process.Start(info) ?? throw new InvalidOperationException("The worker did not start."));
    }

    public IReadOnlyList<string> OutputLines(string containing)
    {
        lock (output)
        {
            return output.Where(line => line.Contains(containing, StringComparison.Ordinal)).ToList();
        }
    }

    public async Task WaitForOutputAsync(string marker, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (OutputLines(marker).Count == 0)
        {
            if (process.HasExited)
            {
                Assert.Fail($"The worker exited ({process.ExitCode}).\n{Output()}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"No '{marker}' from the worker within {within}.\n{Output()}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as ECS sends on scale-in; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(within);
        return process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, releasing nothing.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private string Output()
    {
        lock (output)
        {
            return string.Join('\n', output.TakeLast(40));
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Add(line);
            }
        }
    }
}
