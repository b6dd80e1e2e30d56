using System.Diagnostics;
using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Media;

public sealed class TranscodeCommandTests
{
    [Fact]
    public async Task Transcode_OneShotCommand_WritesTheAnbVideoAndExitsZero()
    {
        var input = await VideoFixtures.Mp4Async(640, 360, 4);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();

        var (exitCode, stdout, stderr) = await RunWorkerHostAsync("transcode", input, output);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {stderr}");
        Assert.Contains("written in", stdout, StringComparison.Ordinal);
        var info = await VideoFixtures.ProbeAsync(output);
        Assert.Equal(("h264", 1280, 720), (info.Codec, info.Width, info.Height));
        Assert.False(info.HasAudio);
        Assert.InRange(info.Duration.TotalSeconds, 8.5, 9.5);
    }

    [Fact]
    public async Task Transcode_OneShotCommandOnCorruptInput_ExitsOneWithTheReasonOnStderr()
    {
        var input = await VideoFixtures.TextAsMp4Async();
        var output = FfmpegVideoTranscoderTests.NewOutputPath();

        var (exitCode, _, stderr) = await RunWorkerHostAsync("transcode", input, output);

        Assert.Equal(1, exitCode);
        Assert.Contains("transcode failed: ffmpeg failed", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public async Task Transcode_OneShotCommandWithoutPaths_PrintsUsageAndExitsTwo()
    {
        var (exitCode, _, stderr) = await RunWorkerHostAsync("transcode");

        Assert.Equal(2, exitCode);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcode_OneShotCommandWithInvalidConfiguration_ExitsTwo()
    {
        var input = await VideoFixtures.Mp4Async(640, 360, 4);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();

        var (exitCode, _, stderr) = await RunWorkerHostAsync(new Dictionary<string, string> { ["Transcoder__Crf"] = "99" }, "transcode", input, output);

        Assert.Equal(2, exitCode);
        Assert.Contains("invalid configuration", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunWorkerHostAsync(params string[] args) =>
        RunWorkerHostAsync([], args);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWorkerHostAsync(
        Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["Transcoder__Preset"] = "ultrafast", ["DOTNET_ENVIRONMENT"] = "Production" },
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(FindWorkerHostDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The WorkerHost's own build output for this configuration and framework (found from the solution
    /// folder), else the copy the project reference puts next to the tests.
    /// </summary>
    private static string FindWorkerHostDll()
    {
        const string dll = "Anb.WorkerHost.dll";
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent?.Name ?? "Release";
        for (var folder = testBin; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Anb.sln")))
            {
                var own = Path.Combine(folder.FullName, "Anb.WorkerHost", "bin", configuration, framework, dll);
                if (File.Exists(own))
                {
                    return own;
                }

                break;
            }
        }

        var copied = Path.Combine(testBin.FullName, dll);
        return File.Exists(copied) && File.Exists(Path.ChangeExtension(copied, ".runtimeconfig.json"))
            ? copied
            : throw new FileNotFoundException($"{dll} not found; build the solution first", dll);
    }
}
