using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anb.Tests.Shared;

/// <summary>
/// A <c>moto_server</c> on loopback (S3, SQS, ECS, ... on one port): the one ./test.sh started, or a
/// private one on a free port that is stopped on dispose. Needs nothing but the BCL, so any test project
/// can link this file.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    /// <summary>The endpoint of the emulator ./test.sh starts for every test project.</summary>
    public const string EndpointVariable = "ANB_TEST_AWS_ENDPOINT";

    private readonly Process? process;
    private readonly List<string> output = [];

    private MotoServer(string endpointUrl, Process? process)
    {
        EndpointUrl = endpointUrl;
        this.process = process;
        if (process is not null)
        {
            process.OutputDataReceived += (_, e) => Remember(e.Data);
            process.ErrorDataReceived += (_, e) => Remember(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
    }

    public string EndpointUrl { get; }

    /// <summary>The server named by <see cref="EndpointVariable"/>, else a private one.</summary>
    public static Task<MotoServer> SharedOrPrivateAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EndpointVariable);
        return string.IsNullOrWhiteSpace(configured)
            ? StartPrivateAsync()
            : ReadyAsync(new MotoServer(configured.TrimEnd('/'), process: null));
    }

    /// <summary>
    /// A server of its own, for tests that list or count what the whole emulator holds, or that start it with
    /// <paramref name="environment"/> (IAM enforcement: <c>INITIAL_NO_AUTH_ACTION_COUNT</c>).
    /// </summary>
    public static Task<MotoServer> StartPrivateAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("moto_server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start.");
        return ReadyAsync(new MotoServer($"http://127.0.0.1:{port}", process));
    }

    public async ValueTask DisposeAsync()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        process.Dispose();
    }

    private static async Task<MotoServer> ReadyAsync(MotoServer server)
    {
        try
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{EndpointUrl}/moto-api/"));
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline || process is { HasExited: true })
                {
                    string lines;
                    lock (output)
                    {
                        lines = string.Join('\n', output);
                    }

                    throw new InvalidOperationException($"moto_server at {EndpointUrl} does not answer.\n{lines}", ex);
                }

                await Task.Delay(200);
            }
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
            if (output.Count > 50)
            {
                output.RemoveAt(0);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
