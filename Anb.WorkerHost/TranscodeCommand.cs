using System.Diagnostics;
using System.Globalization;
using Anb.Application.Abstractions;
using Anb.Infrastructure.Media;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Anb.WorkerHost;

/// <summary>
/// <c>transcode &lt;input&gt; &lt;output&gt;</c>: runs the worker's transcoder once, with no queue or database; the poster
/// goes beside the output, with a <c>.jpg</c> extension.
/// Configuration comes from appsettings.json and environment variables (<c>Transcoder__Preset</c>, ...).
/// Exit codes: 0 done, 1 the input could not be transcoded, 2 usage or configuration error, 3 set-up
/// failure (ffmpeg or assets missing, I/O), 130 cancelled.
/// </summary>
internal static class TranscodeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: dotnet Anb.WorkerHost.dll transcode <input.mp4> <output.mp4>");
            return 2;
        }

        var (input, output) = (args[0], args[1]);
        if (!File.Exists(input))
        {
            await Console.Error.WriteLineAsync($"transcode: input not found: {input}");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddTranscoder();
        using var host = builder.Build();

        using var cancellation = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            cancellation.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            _ = host.Services.GetRequiredService<IOptions<TranscoderOptions>>().Value;
            var transcoder = host.Services.GetRequiredService<IVideoTranscoder>();
            var started = Stopwatch.GetTimestamp();
            // Progress is read as in the worker (so timings match it) and dropped.
            await transcoder.TranscodeAsync(input, output, Path.ChangeExtension(output, ".jpg"), new Progress<int>(), cancellation.Token);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"{output} written in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
            return 0;
        }
        catch (VideoTranscodingException ex)
        {
            await Console.Error.WriteLineAsync($"transcode failed: {ex.Message}");
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"transcode: invalid configuration: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("transcode: cancelled");
            return 130;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"transcode: {ex.GetType().Name}: {ex.Message}");
            return 3;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }
}
