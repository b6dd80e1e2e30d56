using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Anb.FunctionalTests.Infrastructure;

/// <summary>The real worker host (Anb.WorkerHost.dll from this build) as a child process.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WorkerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var dll = WorkerDll();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, // the content root, where appsettings.json is
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new WorkerProcess(Process.Start(start)!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string WorkerDll()
    {
        var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Anb.sln")))
        {
            directory = directory.Parent;
        }

        var dll = Path.Combine(directory?.FullName ?? ".", "Anb.WorkerHost", "bin", configuration, "net10.0", "Anb.WorkerHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build Anb.WorkerHost first.", dll);
    }
}
