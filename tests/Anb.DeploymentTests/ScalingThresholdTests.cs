using System.Globalization;
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

    /// <summary>The API's minimum is 2, one task per availability zone; the worker keeps one warm.</summary>
    [Theory]
    [InlineData("api", 2, 3)]
    [InlineData("worker", 1, 3)]
    public async Task ScalableTarget_HasTheArchitecturesMinAndMaxInTheFileAndInDeploySh(string service, int min, int max)
    {
        var target = DeploymentFiles.ReadAwsJson("scaling", $"{service}-target.json");
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));
        var prefix = service.ToUpperInvariant();

        Assert.Equal((min, max), ((int)target["MinCapacity"]!, (int)target["MaxCapacity"]!));
        Assert.Equal(min.ToString(CultureInfo.InvariantCulture), Default(script, $"{prefix}_MIN_CAPACITY"));
        Assert.Equal(max.ToString(CultureInfo.InvariantCulture), Default(script, $"{prefix}_MAX_CAPACITY"));
    }

    [Fact]
    public async Task Queue_RedrivesAfterThreeReceives_AndItsVisibilityIsTheWorkersVisibilityAndLease()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var queue = template.Properties("ProcessingQueue");
        var parameter = TemplateJson.Target(queue["VisibilityTimeout"])!;
        var visibility = (int)template["Parameters"]![parameter]!["Default"]!;
        var worker = TaskDefinitionTests.Container("worker.json");
        var settings = DeploymentFiles.ReadJson(Path.Combine(RepositoryPaths.Root, "Anb.WorkerHost", "appsettings.json"));

        Assert.Equal(3, (int)queue["RedrivePolicy"]!["maxReceiveCount"]!);
        Assert.Equal("ProcessingDeadLetterQueue", TemplateJson.Target(queue["RedrivePolicy"]!["deadLetterTargetArn"]));
        Assert.Equal("3", TaskDefinitionTests.EnvironmentValue(worker, "Queue__Sqs__MaxReceiveCount"));

        // One setting: the stack parameter, output to deploy.sh, rendered into both worker settings.
        Assert.Equal(parameter, TemplateJson.Target(template["Outputs"]!["QueueVisibilityTimeoutSeconds"]!["Value"]));
        Assert.Equal("${QUEUE_VISIBILITY_TIMEOUT}", TaskDefinitionTests.EnvironmentValue(worker, "Queue__Sqs__VisibilityTimeoutSeconds"));
        Assert.Equal("${QUEUE_VISIBILITY_TIMEOUT}", TaskDefinitionTests.EnvironmentValue(worker, "Processing__LeaseSeconds"));
        Assert.Contains("QUEUE_VISIBILITY_TIMEOUT=\"$(output QueueVisibilityTimeoutSeconds)\"", await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh")), StringComparison.Ordinal);
        Assert.Equal(visibility, (int)settings["Queue"]!["Sqs"]!["VisibilityTimeoutSeconds"]!);
        Assert.Equal(visibility, (int)settings["Processing"]!["LeaseSeconds"]!);

        // Issue 11: a crashed worker's video is taken again within 2 minutes (visibility or lease, then one sweep).
        Assert.True(visibility + (int)settings["Processing"]!["RecoveryIntervalSeconds"]! < 120, $"visibility {visibility} s");
    }

    /// <summary>
    /// The pools of both services at their maximum task counts, doubled for a rolling deployment
    /// (maximumPercent 200), plus the migrate task's, stay within 80 % of the default instance's
    /// connection limit less the 3 connections RDS reserves.
    /// </summary>
    [Fact]
    public async Task ConnectionPools_AtMaximumTasks_FitTheDefaultInstancesConnectionLimitWithHeadroom()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));
        var instanceClass = (string)template["Parameters"]!["DbInstanceClass"]!["Default"]!;
        int Pool(string file) => int.Parse(
            TaskDefinitionTests.EnvironmentValue(TaskDefinitionTests.Container(file), "Database__MaxPoolSize"), CultureInfo.InvariantCulture);
        int Max(string name) => int.Parse(Default(script, name)!, CultureInfo.InvariantCulture);
        int Percent(string service) => (int)DeploymentFiles.ReadAwsJson("services", service)["deploymentConfiguration"]!["maximumPercent"]!;

        var connections =
            (Max("API_MAX_CAPACITY") * Pool("api.json") * Percent("api.json") / 100)
            + (Max("WORKER_MAX_CAPACITY") * Pool("worker.json") * Percent("worker.json") / 100)
            + Pool("migrate.json");

        Assert.True(MaxConnections.ContainsKey(instanceClass), instanceClass);
        Assert.True(connections <= (MaxConnections[instanceClass] - 3) * 0.8, $"{connections} connections on {instanceClass}");
        Assert.Equal(
            MaxConnections.Keys.Order(StringComparer.Ordinal),
            template["Parameters"]!["DbInstanceClass"]!["AllowedValues"]!.AsArray().Select(v => (string)v!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeploySh_TakesEveryPolicysTargetFromAVariableNamedAfterIt()
    {
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));

        Assert.Contains("target_variable=\"${name^^}_${policy^^}_TARGET\"", script, StringComparison.Ordinal);
        foreach (var file in PolicyFiles("api").Concat(PolicyFiles("worker")))
        {
            var service = file.Split('-')[0];
            var name = (string)DeploymentFiles.ReadAwsJson("scaling", file)["PolicyName"]!;
            Assert.Contains($"{service.ToUpperInvariant()}_{name.ToUpperInvariant()}_TARGET", script, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// RDS PostgreSQL's max_connections, LEAST(DBInstanceClassMemory / 9531392, 5000), for the classes the
    /// template allows (DBInstanceClassMemory is the class memory less what RDS keeps; values as RDS reports them).
    /// </summary>
    private static readonly Dictionary<string, int> MaxConnections = new()
    {
        ["db.t4g.micro"] = 81,
        ["db.t4g.small"] = 189,
        ["db.t4g.medium"] = 410,
        ["db.t4g.large"] = 856,
        ["db.m7g.large"] = 856,
        ["db.m7g.xlarge"] = 1733,
    };

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
