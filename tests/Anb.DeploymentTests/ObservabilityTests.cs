using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Anb.DeploymentTests;

/// <summary>
/// Issue 14 on AWS: the ADOT collector sidecar of both services (traces to X-Ray, metrics to CloudWatch as
/// EMF), the IAM it runs with, the dashboard and the alarms. The dashboard may only chart what the hosts
/// emit and the collector turns into CloudWatch metrics, with the dimensions the collector declares.
/// </summary>
public sealed partial class ObservabilityTests
{
    private const string Collector = "otel-collector";
    private const string Namespace = "ANB/RisingStars";

    public static TheoryData<string, string> Services() => new()
    {
        { "api.json", "anb-api" },
        { "worker.json", "anb-worker" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_RunsTheCollectorAsASidecar_AndExportsToIt(string taskDefinition, string serviceName)
    {
        var containers = DeploymentFiles.ReadAwsJson("task-definitions", taskDefinition)["containerDefinitions"]!.AsArray();
        var app = containers[0]!.AsObject();
        var sidecar = Assert.Single(containers, c => (string?)c!["name"] == Collector)!.AsObject();
        var config = await DeploymentFiles.CollectorConfigAsync();

        Assert.Matches(@"^public\.ecr\.aws/aws-observability/aws-otel-collector:v\d+\.\d+\.\d+$", (string?)sidecar["image"]);
        // Telemetry must never take the service down: not essential, restarted in place when it exits.
        Assert.False((bool)sidecar["essential"]!);
        Assert.True((bool)sidecar["restartPolicy"]!["enabled"]!);
        Assert.True((bool)sidecar["readonlyRootFilesystem"]!);
        Assert.Equal(["/healthcheck"], sidecar["healthCheck"]!["command"]!.AsArray().Select(c => (string?)c));
        Assert.EndsWith(":13133", (string?)config["extensions"]!["health_check"]!["endpoint"], StringComparison.Ordinal);
        var log = sidecar["logConfiguration"]!["options"]!;
        Assert.Equal("${COLLECTOR_LOG_GROUP}", (string?)log["awslogs-group"]);
        Assert.Equal("${OTEL_COLLECTOR_CONFIG}", TaskDefinitionTests.EnvironmentValue(sidecar, "AOT_CONFIG_CONTENT"));
        Assert.Equal("${METRICS_LOG_GROUP}", TaskDefinitionTests.EnvironmentValue(sidecar, "ANB_METRICS_LOG_GROUP"));

        // The app starts after the collector (and ECS stops it first, so the collector flushes its last spans).
        var dependency = Assert.Single(app["dependsOn"]!.AsArray())!;
        Assert.Equal(Collector, (string?)dependency["containerName"]);
        Assert.Contains((string?)dependency["condition"], new[] { "START", "HEALTHY" });

        var receiver = config["receivers"]!["otlp"]!["protocols"]!["http"]!["endpoint"]!.ToString();
        Assert.Equal($"http://{receiver}", TaskDefinitionTests.EnvironmentValue(app, "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("http/protobuf", TaskDefinitionTests.EnvironmentValue(app, "OTEL_EXPORTER_OTLP_PROTOCOL"));
        Assert.Equal(serviceName, TaskDefinitionTests.EnvironmentValue(app, "OTEL_SERVICE_NAME"));
        // awsemf sends histograms as they come: p95 needs exponential histograms with delta temporality.
        Assert.Equal("delta", TaskDefinitionTests.EnvironmentValue(app, "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"));
        Assert.Equal("true", TaskDefinitionTests.EnvironmentValue(app, TelemetryContract.ExponentialHistogramsVariable));
    }

    [Fact]
    public void MigrateTask_HasNoCollector()
    {
        var containers = DeploymentFiles.ReadAwsJson("task-definitions", "migrate.json")["containerDefinitions"]!.AsArray();

        Assert.Single(containers);
        Assert.DoesNotContain(containers[0]!["environment"]!.AsArray(), e => ((string)e!["name"]!).StartsWith("OTEL_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CollectorConfig_SendsTracesToXRayAndMetricsAsEmfIntoTheMetricsLogGroup()
    {
        var config = await DeploymentFiles.CollectorConfigAsync();
        var pipelines = config["service"]!["pipelines"]!;
        var emf = config["exporters"]!["awsemf"]!;

        Assert.Equal(["awsxray"], Names(pipelines["traces"]!["exporters"]));
        Assert.Equal(["awsemf"], Names(pipelines["metrics"]!["exporters"]));
        foreach (var (_, pipeline) in pipelines.AsObject())
        {
            Assert.Equal(["otlp"], Names(pipeline!["receivers"]));
            Assert.Equal("memory_limiter", Names(pipeline["processors"]).First());
            Assert.All(Names(pipeline["processors"]), p => Assert.NotNull(config["processors"]![p]));
        }

        Assert.Equal(Namespace, (string?)emf["namespace"]);
        Assert.Equal("${env:ANB_METRICS_LOG_GROUP}", (string?)emf["log_group_name"]);
        Assert.True((bool)emf["resource_to_telemetry_conversion"]!["enabled"]!); // service.name becomes a label
        Assert.Equal("NoDimensionRollup", (string?)emf["dimension_rollup_option"]);
        var template = await DeploymentFiles.TemplateAsync();
        Assert.Equal("MetricsLogGroup", TemplateJson.Target(template["Outputs"]!["MetricsLogGroupName"]!["Value"]));

        // Every ${env:X} of the configuration is set in both sidecars.
        var text = await File.ReadAllTextAsync(RepositoryPaths.InAws("otel-collector.yaml"));
        var variables = EnvironmentReference().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.NotEmpty(variables);
        foreach (var (taskDefinition, _) in Services().Select(s => ((string)s[0], (string)s[1])))
        {
            var sidecar = Sidecar(taskDefinition);
            Assert.All(variables, v => Assert.False(string.IsNullOrEmpty(TaskDefinitionTests.EnvironmentValue(sidecar, v)), v));
        }
    }

    [Fact]
    public async Task CollectorConfig_DeclaresEveryMetricOfTheHosts_WithTheAttributeItIsBrokenDownBy()
    {
        var declarations = await DeclarationsAsync();

        Assert.All(declarations.SelectMany(d => d.Selectors), s => Assert.Contains(TelemetryContract.Metrics, m => Regex.IsMatch(m.Name, s)));
        foreach (var metric in TelemetryContract.Metrics)
        {
            var declared = declarations.Where(d => d.Selectors.Any(s => Regex.IsMatch(metric.Name, s))).SelectMany(d => d.DimensionSets).ToArray();
            Assert.Contains("service.name", declared);
            if (metric.Attribute is not null)
            {
                Assert.Contains(string.Join(',', new[] { metric.Attribute, "service.name" }.Order(StringComparer.Ordinal)), declared);
            }
        }
    }

    [Fact]
    public async Task Dashboard_ChartsOnlyMetricsTheCollectorDeclares_WithItsDimensions()
    {
        var metrics = (await DashboardMetricsAsync()).Where(m => m.Namespace == Namespace).ToArray();
        var declarations = await DeclarationsAsync();
        var serviceNames = Services().Select(s => (string)s[1]).ToArray();

        Assert.NotEmpty(metrics);
        foreach (var metric in metrics)
        {
            var contract = TelemetryContract.Named(metric.Name);
            var dimensionSet = string.Join(',', metric.Dimensions.Keys.Order(StringComparer.Ordinal));
            Assert.Contains(
                declarations,
                d => d.Selectors.Any(s => Regex.IsMatch(metric.Name, s)) && d.DimensionSets.Contains(dimensionSet));
            Assert.All(metric.Dimensions.Where(d => d.Key == "service.name" && d.Value is not null), d => Assert.Contains(d.Value, serviceNames));
            Assert.True(metric.Stat is null || !metric.Stat.StartsWith('p') || contract.Histogram, $"{metric.Name}: {metric.Stat} of a non-histogram");
        }
    }

    [Fact]
    public async Task Dashboard_ShowsWhatOperatorsAskFor()
    {
        var metrics = await DashboardMetricsAsync();

        // "Name=" asks for the dimension with any value (a SEARCH over all of them).
        bool Has(string ns, string name, string? stat = null, params string[] dimensions) => metrics.Any(m =>
            m.Namespace == ns && m.Name == name && (stat is null || m.Stat == stat)
            && dimensions.Select(d => d.Split('=')).All(d =>
                m.Dimensions.TryGetValue(d[0], out var value) && (d[1].Length == 0 || value == d[1])));

        Assert.True(Has("AWS/ApplicationELB", "TargetResponseTime", "p95", "LoadBalancer=${LoadBalancer.LoadBalancerFullName}"));
        Assert.True(Has("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"));
        Assert.True(Has("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"));
        Assert.True(Has("AWS/ApplicationELB", "UnHealthyHostCount", null, "TargetGroup=${ApiTargetGroup.TargetGroupFullName}"));
        foreach (var service in new[] { "${ApiServiceName}", "${WorkerServiceName}" })
        {
            Assert.True(Has("AWS/ECS", "CPUUtilization", null, "ClusterName=${Cluster}", $"ServiceName={service}"), service);
            Assert.True(Has("AWS/ECS", "MemoryUtilization", null, "ClusterName=${Cluster}", $"ServiceName={service}"), service);
            Assert.True(Has("ECS/ContainerInsights", "RunningTaskCount", null, "ClusterName=${Cluster}", $"ServiceName={service}"), service);
        }

        Assert.True(Has("AWS/SQS", "ApproximateNumberOfMessagesVisible", null, "QueueName=${ProcessingQueue.QueueName}"));
        Assert.True(Has("AWS/SQS", "ApproximateAgeOfOldestMessage", null, "QueueName=${ProcessingQueue.QueueName}"));
        Assert.True(Has("AWS/SQS", "ApproximateNumberOfMessagesVisible", null, "QueueName=${ProcessingDeadLetterQueue.QueueName}"));
        Assert.True(Has(Namespace, "anb.transcode.duration", "p95"));
        Assert.True(Has(Namespace, "anb.video.failed", null, "anb.reason=")); // a SEARCH over every reason
        Assert.True(Has(Namespace, "anb.upload.accepted"));
        Assert.True(Has(Namespace, "anb.upload.refused"));

        // The ECS service names come from deploy.sh, which hands them to the stack.
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));
        Assert.Contains("\"ApiServiceName=$API_SERVICE_NAME\" \"WorkerServiceName=$WORKER_SERVICE_NAME\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alarms_AreTheAgreedFour_AndEachNotifiesTheGivenTopicWhenItFiresAndClears()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var alarms = template.OfType("AWS::CloudWatch::Alarm").ToDictionary(a => a.Id, a => a.Resource["Properties"]!.AsObject());
        const string topic = """[{"Fn::If":["CreateAlarmTopic",{"Ref":"AlarmTopic"},{"Ref":"AlarmTopicArn"}]}]""";

        Assert.Equal(
            ["Api5xxRateAlarm", "ApiUnhealthyTargetsAlarm", "DeadLetterQueueAlarm", "QueueOldestMessageAlarm"],
            alarms.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, alarm) in alarms)
        {
            Assert.Equal(topic, alarm["AlarmActions"]?.ToJsonString());
            Assert.Equal(topic, alarm["OKActions"]?.ToJsonString());
            Assert.Contains((string?)alarm["TreatMissingData"], new[] { "notBreaching", "breaching", "ignore", "missing" });
            Assert.Contains("docs/operations.md", alarm["AlarmDescription"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.NotNull(alarm["AlarmName"]);
            Assert.True(alarm["EvaluationPeriods"] is not null, id);
        }

        Assert.Equal("ProcessingDeadLetterQueue", TemplateJson.Target(alarms["DeadLetterQueueAlarm"]["Dimensions"]![0]!["Value"]));
        Assert.Equal(1, (int)alarms["DeadLetterQueueAlarm"]["Threshold"]!);
        var oldest = alarms["QueueOldestMessageAlarm"];
        Assert.Equal(("ApproximateAgeOfOldestMessage", "ProcessingQueue"), ((string?)oldest["MetricName"], TemplateJson.Target(oldest["Dimensions"]![0]!["Value"])));
        Assert.Equal("OldestMessageAlarmSeconds", TemplateJson.Target(oldest["Threshold"]));
        Assert.Equal("UnHealthyHostCount", (string?)alarms["ApiUnhealthyTargetsAlarm"]["MetricName"]);
        Assert.Equal(1, (int)alarms["ApiUnhealthyTargetsAlarm"]["Threshold"]!);

        // The 5xx alarm is a rate: metric math over the 5xx counts and the requests, the only series returned.
        var queries = alarms["Api5xxRateAlarm"]["Metrics"]!.AsArray().ToDictionary(q => (string)q!["Id"]!, q => q!.AsObject());
        var rate = Assert.Single(queries.Values, q => (bool)q["ReturnData"]!);
        var names = queries.Values.Where(q => q["MetricStat"] is not null)
            .ToDictionary(q => (string)q["Id"]!, q => (string)q["MetricStat"]!["Metric"]!["MetricName"]!);
        Assert.Equal(
            ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"],
            names.Values.Order(StringComparer.Ordinal));
        Assert.All(names.Keys, id => Assert.Contains(id, (string)rate["Expression"]!, StringComparison.Ordinal));
        Assert.Matches($@"/ \(FILL\({names.Single(n => n.Value == "RequestCount").Key}, 0\)", (string)rate["Expression"]!);
        Assert.Equal("Api5xxRateAlarmPercent", TemplateJson.Target(alarms["Api5xxRateAlarm"]["Threshold"]));

        // The topic is a parameter (deploy.sh --alarm-topic-arn); the stack's own topic only without one.
        Assert.Equal("", (string?)template["Parameters"]!["AlarmTopicArn"]!["Default"]);
        Assert.Equal("CreateAlarmTopic", (string?)template.Resource("AlarmTopic")["Condition"]);
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));
        Assert.Contains("params+=(\"AlarmTopicArn=$ALARM_TOPIC_ARN\")", script, StringComparison.Ordinal);
        Assert.Contains("--alarm-topic-arn) ALARM_TOPIC_ARN=", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AlarmWidget_ShowsEveryAlarm()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var shown = (await DashboardAsync())["widgets"]!.AsArray()
            .Where(w => (string?)w!["type"] == "alarm")
            .SelectMany(w => w!["properties"]!["alarms"]!.AsArray().Select(a => (string)a!))
            .Order(StringComparer.Ordinal);

        Assert.Equal(template.OfType("AWS::CloudWatch::Alarm").Select(a => $"${{{a.Id}.Arn}}").Order(StringComparer.Ordinal), shown);
    }

    /// <summary>The collector runs with its task's role: X-Ray segments and the metrics log group, nothing else.</summary>
    [Fact]
    public async Task CollectorPolicy_GrantsOnlyTracesAndTheMetricsLogGroup_ToBothTaskRoles()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var policies = template.OfType("AWS::IAM::Policy").Concat(template.OfType("AWS::IAM::ManagedPolicy")).ToArray();

        var (id, resource) = Assert.Single(policies);
        var properties = resource["Properties"]!;
        Assert.Equal("TelemetryCollectorPolicy", id);
        Assert.Equal(["ApiTaskRole", "WorkerTaskRole"], TemplateJson.Items(properties["Roles"]).Select(TemplateJson.Target).Order(StringComparer.Ordinal));
        var grants = TemplateJson.Items(properties["PolicyDocument"]!["Statement"])
            .Select(s => s!.AsObject())
            .SelectMany(s =>
            {
                Assert.Equal("Allow", (string?)s["Effect"]);
                Assert.Null(s["Condition"]);
                var resources = string.Join(' ', TemplateJson.Items(s["Resource"]).Select(TemplateJson.Target));
                return TemplateJson.Items(s["Action"]).Select(a => $"{(string)a!} {resources}");
            })
            .Order(StringComparer.Ordinal);

        // PutTraceSegments has no resource type (Resource "*" is the only form IAM accepts for it).
        Assert.Equal(
            ["logs:CreateLogStream MetricsLogGroup", "logs:PutLogEvents MetricsLogGroup", "xray:PutTraceSegments *"],
            grants);

        var executionLogs = TemplateJson.Items(template.Properties("TaskExecutionRole")["Policies"]![0]!["PolicyDocument"]!["Statement"])
            .Single(s => (string?)s!["Sid"] == "Logs")!;
        Assert.Contains("CollectorLogGroup", TemplateJson.Items(executionLogs["Resource"]).Select(TemplateJson.Target));
        Assert.DoesNotContain("MetricsLogGroup", TemplateJson.Items(executionLogs["Resource"]).Select(TemplateJson.Target));
    }

    [Fact]
    public async Task OperationsGuide_IsLinkedFromTheReadme_AndLinksOnlyInsideTheRepository()
    {
        var guide = Path.Combine(RepositoryPaths.Root, "docs", "operations.md");
        var text = await File.ReadAllTextAsync(guide);

        Assert.Contains("(docs/operations.md)", await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md")), StringComparison.Ordinal);
        Assert.Contains("(../docs/operations.md)", await File.ReadAllTextAsync(RepositoryPaths.InAws("README.md")), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"https?://(?!127\.0\.0\.1|localhost)", text);
        foreach (var target in MarkdownLink().Matches(text).Select(m => m.Groups[1].Value).Where(t => !t.StartsWith('#')))
        {
            var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(guide)!, target.Split('#')[0]));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"docs/operations.md links to {target}, which does not exist");
        }

        var template = await DeploymentFiles.TemplateAsync();
        foreach (var (_, alarm) in template.OfType("AWS::CloudWatch::Alarm"))
        {
            var description = alarm["Properties"]!["AlarmDescription"]!;
            var section = Runbook().Match(description is JsonValue ? (string)description! : (string)description["Fn::Sub"]!).Groups[1].Value;
            Assert.Contains($"# {section}\n", text, StringComparison.Ordinal);
        }
    }

    private static JsonObject Sidecar(string taskDefinition) =>
        DeploymentFiles.ReadAwsJson("task-definitions", taskDefinition)["containerDefinitions"]!.AsArray()
            .Single(c => (string?)c!["name"] == Collector)!.AsObject();

    private static string[] Names(JsonNode? list) => [.. list!.AsArray().Select(n => (string)n!)];

    private static async Task<List<Declaration>> DeclarationsAsync()
    {
        var config = await DeploymentFiles.CollectorConfigAsync();
        return [.. config["exporters"]!["awsemf"]!["metric_declarations"]!.AsArray().Select(d => new Declaration(
            Names(d!["metric_name_selectors"]),
            [.. d["dimensions"]!.AsArray().Select(set => string.Join(',', Names(set).Order(StringComparer.Ordinal)))]))];
    }

    /// <summary>The dashboard body with its <c>${...}</c> references kept as they are (a bare one as 0).</summary>
    private static async Task<JsonObject> DashboardAsync()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var body = (string)template.Properties("OperationsDashboard")["DashboardBody"]!["Fn::Sub"]!;
        return JsonNode.Parse(BareReference().Replace(body, "0"))!.AsObject();
    }

    /// <summary>Every metric the dashboard draws, including those a SEARCH expression finds (its dimensions without values).</summary>
    private static async Task<List<ChartedMetric>> DashboardMetricsAsync()
    {
        var charted = new List<ChartedMetric>();
        foreach (var widget in (await DashboardAsync())["widgets"]!.AsArray().Where(w => (string?)w!["type"] == "metric"))
        {
            var widgetStat = (string?)widget!["properties"]!["stat"];
            foreach (var line in widget["properties"]!["metrics"]!.AsArray().Select(l => l!.AsArray()))
            {
                var options = line[^1] as JsonObject;
                if (options?["expression"] is { } expression)
                {
                    var search = Search().Match((string)expression!);
                    Assert.True(search.Success, $"unexpected expression {expression}");
                    var schema = search.Groups["schema"].Value.Split(',').Select(t => t.Trim('"')).ToArray();
                    charted.Add(new(schema[0], search.Groups["name"].Value, schema[1..].ToDictionary(d => d, _ => (string?)null), search.Groups["stat"].Value));
                    continue;
                }

                var parts = line.Where(p => p is JsonValue).Select(p => (string)p!).ToArray();
                Assert.DoesNotContain(".", parts); // no shorthand: every line names its namespace and metric
                var dimensions = new Dictionary<string, string?>();
                for (var i = 2; i + 1 < parts.Length; i += 2)
                {
                    dimensions[parts[i]] = parts[i + 1];
                }

                charted.Add(new(parts[0], parts[1], dimensions, (string?)options?["stat"] ?? widgetStat));
            }
        }

        return charted;
    }

    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvironmentReference();

    [GeneratedRegex(@"(?<![""\w])\$\{[^}]+\}(?![""\w])")]
    private static partial Regex BareReference();

    [GeneratedRegex(@"^SEARCH\('\{(?<schema>[^}]*)\} MetricName=""(?<name>[^""]+)""', '(?<stat>\w+)', \d+\)$")]
    private static partial Regex Search();

    [GeneratedRegex(@"docs/operations\.md, ""([^""]+)""")]
    private static partial Regex Runbook();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    private sealed record Declaration(string[] Selectors, string[] DimensionSets);

    private sealed record ChartedMetric(string Namespace, string Name, Dictionary<string, string?> Dimensions, string? Stat);
}
