using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Videos.LeastPrivilege;

/// <summary>
/// The real API, <c>Anb.WebApi.dll</c> from its own build output, as a child process on a free loopback
/// port, configured by environment variables alone (its own AWS credentials among them).
/// </summary>
public sealed class ApiHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];

    private ApiHostProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

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

    /// <summary>Starts the API and waits until <c>/health</c> answers 200.</summary>
    public static async Task<ApiHostProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var configuration = typeof(ApiHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var dll = Path.Combine(RepositoryPaths.Root, "Anb.WebApi", "bin", configuration, framework, "Anb.WebApi.dll");
        var port = FreePort();
        // The worker's start info (the dotnet host of this run, the environment on top of this process's),
        // pointed at the API's dll and folder.
        var info = WorkerProcess.StartInfo(environment);
        info.ArgumentList[0] = dll;
        info.WorkingDirectory = Path.GetDirectoryName(dll)!;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

        var api = new ApiHostProcess(Process.Start(info) ?? throw new InvalidOperationException("The API did not start."), new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(api.process.HasExited, $"The API exited.\n{api.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"The API did not answer /health within 60 s.\n{api.Output}");
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return api;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
