using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Anb.Tests.Shared;

/// <summary>
/// The real worker host, <c>Anb.WorkerHost.dll</c> from its own build output, as a child process with its
/// console output captured. It runs in the <c>Testing</c> environment unless the caller sets <c>DOTNET_ENVIRONMENT</c>.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable, IDisposable
{
    private static readonly Lazy<string> WorkerDll = new(FindWorkerDll);

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

    /// <summary>Everything the worker wrote so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return string.Join('\n', output);
            }
        }
    }

    /// <summary>
    /// How to run the worker with <paramref name="arguments"/>: the dotnet host running this test, the
    /// worker's folder as content root (its appsettings.json), <paramref name="environment"/> on top of this process's.
    /// </summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var dll = WorkerDll.Value;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> environment) =>
        new(Process.Start(StartInfo(environment)) ?? throw new InvalidOperationException("The worker did not start."));

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
                Assert.Fail($"The worker exited ({process.ExitCode}).\n{Tail()}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"No '{marker}' from the worker within {within}.\n{Tail()}");
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

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The worker's own build output for the configuration and framework of these tests, else the copy a
    /// project reference puts next to them.
    /// </summary>
    private static string FindWorkerDll()
    {
        const string dll = "Anb.WorkerHost.dll";
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var own = Path.Combine(RepositoryPaths.Root, "Anb.WorkerHost", "bin", configuration, testBin.Name, dll);
        if (File.Exists(own))
        {
            return own;
        }

        var copied = Path.Combine(testBin.FullName, dll);
        return File.Exists(copied) && File.Exists(Path.ChangeExtension(copied, ".runtimeconfig.json"))
            ? copied
            : throw new FileNotFoundException($"{dll} not found; build the solution first", own);
    }

    private string Tail()
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
