using System.Text.Json.Nodes;

namespace Anb.DeploymentTests;

/// <summary>
/// Every JSON input under aws/ passes the AWS CLI's own parameter validation, which runs against the
/// service models before anything is sent: pointed at a closed port, a valid input ends in "Could not
/// connect" and an invalid one in "Parameter validation failed".
/// </summary>
public sealed class CliInputValidationTests
{
    private const string ClosedEndpoint = "http://127.0.0.1:9";
    private const string Connected = "Could not connect to the endpoint URL";
    private const string Rejected = "Parameter validation failed";

    public static TheoryData<string, string, string> Inputs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in JsonInputs())
        {
            var (service, operation) = CommandFor(file)
                ?? throw new InvalidOperationException($"aws/{file}: no AWS CLI command is known for this file");
            data.Add(file, service, operation);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task JsonInput_PassesAwsCliParameterValidation(string file, string service, string operation)
    {
        var rendered = DeploymentFiles.RenderWithDummies(await File.ReadAllTextAsync(RepositoryPaths.InAws(file)));

        var result = await ValidateAsync(service, operation, rendered);

        Assert.DoesNotContain(Rejected, result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Contains(Connected, StringComparison.Ordinal), $"aws {service} {operation} with aws/{file}: {result}");
    }

    [Fact]
    public async Task AwsCli_RejectsAnInvalidInput()
    {
        var taskDefinition = JsonNode.Parse(
            DeploymentFiles.RenderWithDummies(await File.ReadAllTextAsync(RepositoryPaths.InAws("task-definitions", "api.json"))))!;
        taskDefinition["cpu"] = 512;
        taskDefinition["unknownSetting"] = true;

        var result = await ValidateAsync("ecs", "register-task-definition", taskDefinition.ToJsonString());

        Assert.True(result.Output.Contains(Rejected, StringComparison.Ordinal), result.ToString());
        Assert.Contains("unknownSetting", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryJsonInput_HasAKnownCommand()
    {
        var files = JsonInputs();

        Assert.All(files, f => Assert.NotNull(CommandFor(f)));
        Assert.Contains("task-definitions/api.json", files);
        Assert.Contains("task-definitions/worker.json", files);
        Assert.Contains("services/api.json", files);
        Assert.Contains("services/worker.json", files);
        Assert.Contains("task-definitions/migrate.json", files);
        Assert.Contains("tasks/migrate.json", files);
        Assert.Contains("scaling/worker-policy-backlog.json", files);
    }

    private static async Task<ProcessResult> ValidateAsync(string service, string operation, string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"anb-cli-input-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        try
        {
            return await ProcessRunner.RunAsync(
                "aws",
                [service, operation, "--cli-input-json", "file://" + path, "--endpoint-url", ClosedEndpoint, "--region", "us-east-1"],
                environment: ProcessRunner.IsolatedAwsEnvironment(),
                timeout: TimeSpan.FromMinutes(2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<string> JsonInputs() =>
        [.. Directory.EnumerateFiles(RepositoryPaths.Aws, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.Aws, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static (string Service, string Operation)? CommandFor(string file) => file switch
    {
        _ when file.StartsWith("task-definitions/", StringComparison.Ordinal) => ("ecs", "register-task-definition"),
        _ when file.StartsWith("services/", StringComparison.Ordinal) => ("ecs", "create-service"),
        _ when file.StartsWith("tasks/", StringComparison.Ordinal) => ("ecs", "run-task"),
        _ when file.StartsWith("scaling/", StringComparison.Ordinal) && file.EndsWith("-target.json", StringComparison.Ordinal)
            => ("application-autoscaling", "register-scalable-target"),
        _ when file.StartsWith("scaling/", StringComparison.Ordinal) && file.Contains("-policy-", StringComparison.Ordinal)
            => ("application-autoscaling", "put-scaling-policy"),
        _ => null,
    };
}
