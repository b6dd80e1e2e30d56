using System.Diagnostics;

namespace Anb.Infrastructure.Media;

/// <summary>
/// One ffmpeg run, contained: on Linux it runs under <c>setpriv --pdeathsig KILL</c> so the kernel kills it
/// when the worker dies (even by <c>kill -9</c>); it sees only an allow-listed environment (no database
/// password, no cloud credentials); past its time limit or on cancellation it is killed with any children,
/// and the call returns only once it is gone.
/// </summary>
internal static class FfmpegProcess
{
    /// <summary>The only variables ffmpeg inherits from the worker.</summary>
    public static readonly IReadOnlyList<string> EnvironmentAllowList = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL"];

    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";
    private static readonly Lazy<string?> SetprivPath = new(FindSetpriv);

    /// <summary>Runs <paramref name="ffmpeg"/> with <paramref name="arguments"/> (one command-line string),
    /// handing each line it writes to standard error to <paramref name="onErrorLine"/> and each line to standard
    /// output to <paramref name="onOutputLine"/>.</summary>
    /// <returns>The exit code, or null when the time limit passed and ffmpeg was killed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; ffmpeg was killed.</exception>
    public static async Task<int?> RunAsync(
        string ffmpeg,
        string arguments,
        TimeSpan timeLimit,
        Action<string> onErrorLine,
        Action<string>? onOutputLine,
        CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(ffmpeg, arguments) };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onErrorLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutputLine?.Invoke(e.Data);
            }
        };
        await ChildProcessLauncher.StartAsync(process);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        using var timeout = new CancellationTokenSource(timeLimit);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(stop.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    private static ProcessStartInfo StartInfo(string ffmpeg, string arguments)
    {
        var setpriv = OperatingSystem.IsLinux()
            ? SetprivPath.Value ?? throw new InvalidOperationException(
                "setpriv (util-linux) is required to tie ffmpeg's life to the worker's; install util-linux.")
            : null;
        var info = new ProcessStartInfo
        {
            FileName = setpriv ?? ffmpeg,
            Arguments = setpriv is null ? arguments : $"--pdeathsig KILL -- \"{ffmpeg}\" {arguments}",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment.Clear();
        foreach (var name in EnvironmentAllowList)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                info.Environment[name] = value;
            }
        }

        info.Environment.TryAdd("PATH", DefaultPath);
        return info;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string? FindSetpriv() =>
        (Environment.GetEnvironmentVariable("PATH") ?? DefaultPath)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(folder => Path.Combine(folder, "setpriv"))
            .FirstOrDefault(File.Exists);
}
