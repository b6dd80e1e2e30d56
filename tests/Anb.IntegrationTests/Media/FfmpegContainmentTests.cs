using System.Diagnostics;
using System.Globalization;
using Anb.Application.Abstractions;
using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Media;

/// <summary>
/// FFmpeg as the worker runs it: never outliving the worker, seeing none of its secrets, hardened inputs,
/// bounded threads, stopped at its time limit.
/// </summary>
public sealed class FfmpegContainmentTests
{
    private static readonly TimeSpan FfmpegStarts = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WorkerKilled_FfmpegDiesWithIt()
    {
        var input = await VideoFixtures.Mp4Async(1920, 1080, 40);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();
        using var worker = StartTranscodeCommand(input, output, []);
        var ffmpeg = await FfmpegVideoTranscoderTests.WaitForFfmpegWritingIntoAsync(Path.GetDirectoryName(output)!, FfmpegStarts);

        worker.Kill(); // SIGKILL: the worker cleans nothing up
        await worker.WaitForExitAsync();

        var gone = await FfmpegVideoTranscoderTests.ExitsWithinAsync(ffmpeg, TimeSpan.FromSeconds(5));
        KillIfRunning(ffmpeg);
        Assert.True(gone, $"ffmpeg {ffmpeg} outlived its worker");
    }

    [Fact]
    public async Task Ffmpeg_SeesOnlyTheAllowListedEnvironmentAndRunsHardened()
    {
        var input = await VideoFixtures.Mp4Async(1920, 1080, 40);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();
        var marker = $"secret-{Guid.NewGuid():N}";
        using var worker = StartTranscodeCommand(input, output, new()
        {
            ["Database__Password"] = marker,
            ["AWS_SECRET_ACCESS_KEY"] = marker,
            ["ANB_TEST_MARKER"] = marker,
            ["Transcoder__Threads"] = "3",
        });
        try
        {
            var ffmpeg = await FfmpegVideoTranscoderTests.WaitForFfmpegWritingIntoAsync(Path.GetDirectoryName(output)!, FfmpegStarts);
            var environment = await ReadProcFileAsync(ffmpeg, "environ");
            var arguments = await ReadProcFileAsync(ffmpeg, "cmdline");

            Assert.DoesNotContain(environment, variable => variable.Contains(marker, StringComparison.Ordinal));
            Assert.Contains(environment, variable => variable.StartsWith("PATH=", StringComparison.Ordinal));
            Assert.All(environment, variable => Assert.Contains(variable.Split('=')[0], new[] { "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL" }));
            var upload = arguments.IndexOf(input);
            Assert.Equal(["-f", "mov"], ArgumentsBefore(arguments, upload, "-f"));
            Assert.Equal(4, arguments.Count(a => a == "-protocol_whitelist"));
            Assert.All(Values(arguments, "-protocol_whitelist"), value => Assert.Equal("file", value));
            Assert.Equal(["3", "3", "3", "3", "3", "3"], Values(arguments, "-threads")); // 4 inputs, the video and the poster
            Assert.DoesNotContain("-loop", arguments); // the cards are decoded once and repeated inside the graph
            Assert.Equal(["3"], Values(arguments, "-filter_complex_threads"));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Transcode_PastItsTimeLimit_KillsFfmpegThrowsTimeoutAndLeavesNothing()
    {
        var input = await VideoFixtures.Mp4Async(1920, 1080, 40);
        var output = FfmpegVideoTranscoderTests.NewOutputPath();
        var folder = Path.GetDirectoryName(output)!;
        var transcoder = FfmpegVideoTranscoderTests.CreateTranscoder(preset: "veryfast", maxTimeLimitSeconds: 2);

        var run = transcoder.TranscodeAsync(input, output, FfmpegVideoTranscoderTests.NewPosterPath(), null, CancellationToken.None);
        var ffmpeg = await FfmpegVideoTranscoderTests.WaitForFfmpegWritingIntoAsync(folder, FfmpegStarts);

        var ex = await Assert.ThrowsAsync<VideoTranscodingTimeoutException>(() => run);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.Limit);
        Assert.True(await FfmpegVideoTranscoderTests.ExitsWithinAsync(ffmpeg, TimeSpan.FromSeconds(1)), $"ffmpeg {ffmpeg} still running");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    private static Process StartTranscodeCommand(string input, string output, Dictionary<string, string?> environment)
    {
        var settings = new Dictionary<string, string?> { ["Transcoder__Preset"] = "veryfast", ["DOTNET_ENVIRONMENT"] = "Production" };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        var process = Process.Start(WorkerProcess.StartInfo(settings, "transcode", input, output))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<List<string>> ReadProcFileAsync(int pid, string name) =>
        (await File.ReadAllTextAsync($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/{name}"))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .ToList();

    private static List<string> Values(List<string> arguments, string option) =>
        arguments.Select((a, i) => (a, i)).Where(x => x.a == option).Select(x => arguments[x.i + 1]).ToList();

    /// <summary>The last <paramref name="option"/> and its value among the input options right before <c>-i</c> at <paramref name="input"/>.</summary>
    private static List<string> ArgumentsBefore(List<string> arguments, int input, string option)
    {
        var start = arguments.LastIndexOf("-i", input - 2) + 2;
        var at = arguments.FindIndex(start, input - start, a => a == option);
        return at < 0 ? [] : [arguments[at], arguments[at + 1]];
    }

    private static void KillIfRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
