using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Anb.IntegrationTests.Deployment;

/// <summary>A private moto_server on a free loopback port, stopped when the tests that share it finish.</summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    private Process? _server;

    public string Endpoint { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var startInfo = new ProcessStartInfo("moto_server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _server = Process.Start(startInfo) ?? throw new InvalidOperationException("moto_server did not start");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{Endpoint}/moto-api/"));
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (_server.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"moto_server is not answering on {Endpoint}", e);
                }

                await Task.Delay(200);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
    }

    /// <summary>Runs an AWS CLI command against this moto and returns its JSON answer.</summary>
    public async Task<JsonNode> AwsAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            "aws",
            [.. arguments, "--endpoint-url", Endpoint, "--region", "us-east-1", "--output", "json"],
            environment: ProcessRunner.IsolatedAwsEnvironment(Endpoint),
            timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws {string.Join(' ', arguments)}: {result}");
        }

        return JsonNode.Parse(result.StandardOutput.Length == 0 ? "{}" : result.StandardOutput)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
