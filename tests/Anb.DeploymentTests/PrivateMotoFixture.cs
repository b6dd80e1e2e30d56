using System.Text.Json.Nodes;

namespace Anb.DeploymentTests;

/// <summary>
/// A private moto_server (never the shared one of ./test.sh: the deploy checks list and count every ECS
/// and scaling resource the emulator holds) and the AWS CLI pointed at it.
/// </summary>
public sealed class PrivateMotoFixture : IAsyncLifetime
{
    private MotoServer? server;

    public string EndpointUrl => server?.EndpointUrl ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => server = await MotoServer.StartPrivateAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// ECS tasks in this moto: stepping to STOPPED as they are described (moto's default), or staying RUNNING
    /// (<paramref name="manual"/>), as a task that never finishes.
    /// </summary>
    public async Task SetTaskTransitionAsync(bool manual)
    {
        using var http = new HttpClient();
        var transition = manual ? """{"progression":"manual","times":1000000}""" : """{"progression":"immediate"}""";
        using var body = new StringContent($$"""{"model_name":"ecs::task","transition":{{transition}}}""");
        using var response = await http.PostAsync(new Uri($"{EndpointUrl}/moto-api/state-manager/set-transition"), body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs an AWS CLI command against this moto and returns its JSON answer.</summary>
    public async Task<JsonNode> AwsAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            "aws",
            [.. arguments, "--endpoint-url", EndpointUrl, "--region", "us-east-1", "--output", "json"],
            environment: ProcessRunner.IsolatedAwsEnvironment(EndpointUrl),
            timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"aws {string.Join(' ', arguments)}: {result}");
        }

        return JsonNode.Parse(result.StandardOutput.Length == 0 ? "{}" : result.StandardOutput)!;
    }
}
