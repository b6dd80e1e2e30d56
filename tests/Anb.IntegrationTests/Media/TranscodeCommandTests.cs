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

        var (exitCode, _, stderr) = await RunWorkerHostAsync(new Dictionary<string, string?> { ["Transcoder__Crf"] = "99" }, "transcode", input, output);

        Assert.Equal(2, exitCode);
        Assert.Contains("invalid configuration", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunWorkerHostAsync(params string[] args) =>
        RunWorkerHostAsync([], args);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWorkerHostAsync(
        Dictionary<string, string?> environment, params string[] args)
    {
        var settings = new Dictionary<string, string?> { ["Transcoder__Preset"] = "ultrafast", ["DOTNET_ENVIRONMENT"] = "Production" };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        using var process = Process.Start(WorkerProcess.StartInfo(settings, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
