using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Anb.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

/// <summary>
/// Loaded into a real <c>Anb.WorkerHost</c> process through <c>DOTNET_STARTUP_HOOKS</c> by
/// <see cref="Anb.IntegrationTests.Aws.WorkerHostProcessTests"/>: when the host is built (the hosting
/// diagnostic event that WebApplicationFactory also uses) it swaps the transcoder for a stand-in chosen by
/// <c>ANB_TEST_TRANSCODER</c>: <c>copy</c>, or <c>hang</c> (never finishes, for kill tests).
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime looks for a StartupHook type in the global namespace.")]
internal static class StartupHook
{
    public const string TranscoderVariable = "ANB_TEST_TRANSCODER";
    public const string StartedMarker = "ANB-TEST transcoding started";

    public static void Initialize()
    {
        var mode = Environment.GetEnvironmentVariable(TranscoderVariable);
        if (mode is "copy" or "hang")
        {
            DiagnosticListener.AllListeners.Subscribe(new HostingListenerObserver(new StandInTranscoder(hang: mode == "hang")));
        }
    }

    private sealed class HostingListenerObserver(IVideoTranscoder transcoder) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value is { Key: "HostBuilding", Value: IHostBuilder builder })
            {
                builder.ConfigureServices(services => services.AddSingleton(transcoder));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class StandInTranscoder(bool hang) : IVideoTranscoder
    {
        public async Task TranscodeAsync(string inputPath, string outputPath, string posterPath, IProgress<int>? progress, CancellationToken cancellationToken)
        {
            await Console.Out.WriteLineAsync($"{StartedMarker} {inputPath}");
            await Console.Out.FlushAsync(cancellationToken);
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            File.Copy(inputPath, outputPath);
            await File.WriteAllTextAsync(posterPath, "poster", CancellationToken.None);
        }
    }
}
