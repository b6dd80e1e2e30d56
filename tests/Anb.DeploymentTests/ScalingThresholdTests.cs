using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Anb.DeploymentTests;

/// <summary>The scaling and retry thresholds are the agreed ones, in the files and in deploy.sh's defaults.</summary>
public sealed partial class ScalingThresholdTests
{
    [Fact]
    public void ApiScaling_TracksCpu70Memory60AndRequests80PerTarget()
    {
        Assert.Equal(70, Predefined("api-policy-cpu.json", "ECSServiceAverageCPUUtilization"));
        Assert.Equal(60, Predefined("api-policy-memory.json", "ECSServiceAverageMemoryUtilization"));
        Assert.Equal(80, Predefined("api-policy-requests.json", "ALBRequestCountPerTarget"));
        var requests = Policy("api-policy-requests.json")["PredefinedMetricSpecification"]!;
        Assert.Equal("${ALB_RESOURCE_LABEL}", (string?)requests["ResourceLabel"]);
        Assert.Equal(
            ["api-policy-cpu.json", "api-policy-memory.json", "api-policy-requests.json"],
            PolicyFiles("api"));
    }

    [Fact]
    public void WorkerScaling_TracksCpu65AndQueueBacklogPerTask()
    {
        Assert.Equal(65, Predefined("worker-policy-cpu.json", "ECSServiceAverageCPUUtilization"));
        Assert.Equal(["worker-policy-backlog.json", "worker-policy-cpu.json"], PolicyFiles("worker"));

        var backlog = Policy("worker-policy-backlog.json");
        var metrics = backlog["CustomizedMetricSpecification"]!["Metrics"]!.AsArray()
            .ToDictionary(m => (string)m!["Id"]!, m => m!.AsObject());
        Assert.Equal(2, (double)backlog["TargetValue"]!);
        Assert.Equal(["e1", "m1", "m2"], metrics.Keys.Order());

        var queue = metrics["m1"]["MetricStat"]!["Metric"]!;
        Assert.Equal(("AWS/SQS", "ApproximateNumberOfMessagesVisible"), ((string?)queue["Namespace"], (string?)queue["MetricName"]));
        Assert.Equal(["QueueName=${QUEUE_NAME}"], Dimensions(queue));

        var tasks = metrics["m2"]["MetricStat"]!["Metric"]!;
        Assert.Equal(("ECS/ContainerInsights", "RunningTaskCount"), ((string?)tasks["Namespace"], (string?)tasks["MetricName"]));
        Assert.Equal(["ClusterName=${CLUSTER_NAME}", "ServiceName=${WORKER_SERVICE_NAME}"], Dimensions(tasks));

        Assert.Equal("m1 / m2", (string?)metrics["e1"]["Expression"]);
        Assert.True((bool)metrics["e1"]["ReturnData"]!);
        Assert.False((bool)metrics["m1"]["ReturnData"]!);
        Assert.False((bool)metrics["m2"]["ReturnData"]!);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public async Task ScalableTarget_IsMin1Max3InTheFileAndInDeploySh(string service)
    {
        var target = DeploymentFiles.ReadAwsJson("scaling", $"{service}-target.json");
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));
        var prefix = service.ToUpperInvariant();

        Assert.Equal((1, 3), ((int)target["MinCapacity"]!, (int)target["MaxCapacity"]!));
        Assert.Equal("1", Default(script, $"{prefix}_MIN_CAPACITY"));
        Assert.Equal("3", Default(script, $"{prefix}_MAX_CAPACITY"));
    }

    [Fact]
    public async Task Queue_RedrivesToTheDeadLetterQueueAfterThreeReceives()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var queue = template.Properties("ProcessingQueue");
        var visibility = template["Parameters"]![TemplateJson.Target(queue["VisibilityTimeout"])!]!["Default"]!;
        var worker = TaskDefinitionTests.Container("worker.json");

        Assert.Equal(3, (int)queue["RedrivePolicy"]!["maxReceiveCount"]!);
        Assert.Equal("ProcessingDeadLetterQueue", TemplateJson.Target(queue["RedrivePolicy"]!["deadLetterTargetArn"]));
        Assert.True((int)visibility >= 900, "the visibility timeout must outlast the longest transcode");
        Assert.Equal("3", TaskDefinitionTests.EnvironmentValue(worker, "Queue__Sqs__MaxReceiveCount"));
        Assert.Equal(visibility.ToString(), TaskDefinitionTests.EnvironmentValue(worker, "Queue__Sqs__VisibilityTimeoutSeconds"));
    }

    [GeneratedRegex(@"^(?<name>[A-Z_]+)=""\$\{\k<name>:-(?<value>[^}]*)\}""$", RegexOptions.Multiline)]
    private static partial Regex DefaultAssignment();

    private static string? Default(string script, string name) =>
        DefaultAssignment().Matches(script).FirstOrDefault(m => m.Groups["name"].Value == name)?.Groups["value"].Value;

    private static JsonObject Policy(string file)
    {
        var policy = DeploymentFiles.ReadAwsJson("scaling", file);
        Assert.Equal("TargetTrackingScaling", (string?)policy["PolicyType"]);
        return policy["TargetTrackingScalingPolicyConfiguration"]!.AsObject();
    }

    private static double Predefined(string file, string metric)
    {
        var policy = Policy(file);
        Assert.Equal(metric, (string?)policy["PredefinedMetricSpecification"]!["PredefinedMetricType"]);
        return (double)policy["TargetValue"]!;
    }

    private static string[] PolicyFiles(string service) =>
        [.. Directory.EnumerateFiles(RepositoryPaths.InAws("scaling"), $"{service}-policy-*.json")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!];

    private static string[] Dimensions(JsonNode metric) =>
        [.. metric["Dimensions"]!.AsArray().Select(d => $"{d!["Name"]}={d["Value"]}").Order(StringComparer.Ordinal)];
}
