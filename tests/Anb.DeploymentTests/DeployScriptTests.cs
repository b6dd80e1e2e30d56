using System.Text.Json.Nodes;

namespace Anb.DeploymentTests;

/// <summary>
/// aws/deploy.sh --skip-stack against a private moto_server. moto cannot run the whole template (no
/// Secrets Manager secrets, bucket policies, egress rules or alarms, and no outputs), so the test creates
/// what the stack would have made that the later steps use (cluster, subnets, security groups, target
/// group) and hands deploy.sh the stack outputs as a file. Docker is replaced by a missing command.
/// </summary>
public sealed class DeployScriptTests(PrivateMotoFixture moto) : IClassFixture<PrivateMotoFixture>
{
    private const string Stack = "anb-test";
    private const string NoDocker = "/nonexistent/docker";

    [Fact]
    public async Task DeployScript_AgainstMoto_CreatesServicesAndScaling_AndRerunsIdempotently()
    {
        var outputs = await CreateWhatTheStackWouldAsync();
        var outputsFile = await WriteOutputsAsync(outputs);
        try
        {
            var first = await DeployAsync(outputsFile, skipImages: true);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("creating service api", first.StandardError, StringComparison.Ordinal);

            // The migrate task ran (worker image, `migrate`, master secret) and stopped before any service was touched.
            var log = first.StandardError;
            Assert.True(
                log.IndexOf("migrations applied", StringComparison.Ordinal) is var applied and > 0
                && applied < log.IndexOf("creating service api", StringComparison.Ordinal),
                log);
            var migrations = await MigrationTasksAsync();
            var migration = Assert.Single(migrations);
            Assert.Equal(("STOPPED", 0), ((string?)migration["lastStatus"], (int)migration["containers"]![0]!["exitCode"]!));
            var migrate = (await moto.AwsAsync("ecs", "describe-task-definition", "--task-definition", (string)migration["taskDefinitionArn"]!))["taskDefinition"]!;
            var migrateContainer = migrate["containerDefinitions"]![0]!;
            Assert.Equal(["migrate"], migrateContainer["command"]!.AsArray().Select(c => (string?)c));
            Assert.Equal($"{ValueOf(outputs, "WorkerRepositoryUri")}:test-tag", (string?)migrateContainer["image"]);
            Assert.Contains(
                migrateContainer["secrets"]!.AsArray(),
                s => (string?)s!["valueFrom"] == ValueOf(outputs, "DbSecretArn") + ":password::");

            var cluster = (await moto.AwsAsync("ecs", "describe-clusters", "--clusters", Stack))["clusters"]![0]!;
            Assert.Equal("ACTIVE", (string?)cluster["status"]);

            var services = (await moto.AwsAsync("ecs", "describe-services", "--cluster", Stack, "--services", "api", "worker"))["services"]!.AsArray();
            Assert.Equal(["api", "worker"], services.Select(s => (string?)s!["serviceName"]));
            foreach (var service in services)
            {
                Assert.Equal("ACTIVE", (string?)service!["status"]);
                Assert.Equal("FARGATE", (string?)service["launchType"]);
                Assert.Equal("DISABLED", (string?)service["networkConfiguration"]!["awsvpcConfiguration"]!["assignPublicIp"]);
            }

            Assert.EndsWith($"task-definition/{Stack}-api:1", (string?)services[0]!["taskDefinition"], StringComparison.Ordinal);
            Assert.EndsWith($"task-definition/{Stack}-worker:1", (string?)services[1]!["taskDefinition"], StringComparison.Ordinal);
            var loadBalancer = services[0]!["loadBalancers"]![0]!;
            Assert.Equal(ValueOf(outputs, "TargetGroupArn"), (string?)loadBalancer["targetGroupArn"]);
            Assert.Equal(8080, (int)loadBalancer["containerPort"]!);

            var api = (await moto.AwsAsync("ecs", "describe-task-definition", "--task-definition", $"{Stack}-api"))["taskDefinition"]!;
            var container = api["containerDefinitions"]![0]!;
            Assert.Equal($"{ValueOf(outputs, "ApiRepositoryUri")}:test-tag", (string?)container["image"]);
            Assert.Contains(
                container["secrets"]!.AsArray(),
                s => (string?)s!["valueFrom"] == ValueOf(outputs, "DbAppSecretArn") + ":password::");
            var worker = (await moto.AwsAsync("ecs", "describe-task-definition", "--task-definition", $"{Stack}-worker"))["taskDefinition"]!;
            var workerEnvironment = worker["containerDefinitions"]![0]!["environment"]!.AsArray()
                .ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
            Assert.Equal("60", workerEnvironment["Queue__Sqs__VisibilityTimeoutSeconds"]);
            Assert.Equal("60", workerEnvironment["Processing__LeaseSeconds"]);

            // Both sidecars carry aws/otel-collector.yaml as it is, and the metrics log group of the stack.
            var collectorConfig = (await File.ReadAllTextAsync(RepositoryPaths.InAws("otel-collector.yaml"))).TrimEnd('\n');
            foreach (var definition in new[] { api, worker })
            {
                var sidecar = definition["containerDefinitions"]!.AsArray().Single(c => (string?)c!["name"] == "otel-collector")!;
                var sidecarEnvironment = sidecar["environment"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
                Assert.Equal(collectorConfig, sidecarEnvironment["AOT_CONFIG_CONTENT"]);
                Assert.Equal(ValueOf(outputs, "MetricsLogGroupName"), sidecarEnvironment["ANB_METRICS_LOG_GROUP"]);
                Assert.Equal(ValueOf(outputs, "CollectorLogGroupName"), (string?)sidecar["logConfiguration"]!["options"]!["awslogs-group"]);
            }

            Assert.Equal(
                ["service/anb-test/api 2-3", "service/anb-test/worker 1-3"],
                await ScalableTargetsAsync());
            Assert.Equal(
                ["service/anb-test/api cpu", "service/anb-test/api memory",
                 "service/anb-test/api requests", "service/anb-test/worker backlog", "service/anb-test/worker cpu"],
                await PoliciesAsync());
            // moto ignores --policy-names, so the policy is picked here.
            var requests = (await moto.AwsAsync(
                "application-autoscaling", "describe-scaling-policies", "--service-namespace", "ecs",
                "--resource-id", $"service/{Stack}/api"))["ScalingPolicies"]!.AsArray().Single(p => (string?)p!["PolicyName"] == "requests")!;
            Assert.Equal(
                ValueOf(outputs, "AlbResourceLabel"),
                (string?)requests["TargetTrackingScalingPolicyConfiguration"]!["PredefinedMetricSpecification"]!["ResourceLabel"]);
            Assert.Equal(80, (double)requests["TargetTrackingScalingPolicyConfiguration"]!["TargetValue"]!);

            // Second run: same files and tag, API maximum raised to 4, an extra policy that no file describes.
            await moto.AwsAsync(
                "application-autoscaling", "put-scaling-policy", "--service-namespace", "ecs",
                "--resource-id", $"service/{Stack}/worker", "--scalable-dimension", "ecs:service:DesiredCount",
                "--policy-name", "obsolete", "--policy-type", "TargetTrackingScaling",
                "--target-tracking-scaling-policy-configuration",
                """{"TargetValue":50,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}""");

            // Without --skip-images and without docker it goes on because the tag is already in ECR.
            await PushFakeImagesAsync("test-tag");
            var second = await DeployAsync(
                outputsFile, skipImages: false, "test-tag", ("API_MAX_CAPACITY", "4"), ("API_REQUESTS_TARGET", "1300"), ("DOCKER", NoDocker));
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("docker cannot build here; tag test-tag is already in ECR", second.StandardError, StringComparison.Ordinal);
            Assert.Contains("task definition anb-test-api unchanged", second.StandardError, StringComparison.Ordinal);
            Assert.Contains("updating service api", second.StandardError, StringComparison.Ordinal);

            var families = (await moto.AwsAsync("ecs", "list-task-definitions"))["taskDefinitionArns"]!.AsArray();
            Assert.Equal(3, families.Count);
            var servicesAfter = (await moto.AwsAsync("ecs", "list-services", "--cluster", Stack))["serviceArns"]!.AsArray();
            Assert.Equal(2, servicesAfter.Count);
            Assert.Equal(["service/anb-test/api 2-4", "service/anb-test/worker 1-3"], await ScalableTargetsAsync());
            Assert.Equal(2, (await MigrationTasksAsync()).Count);
            var requestsAfter = (await moto.AwsAsync(
                "application-autoscaling", "describe-scaling-policies", "--service-namespace", "ecs",
                "--resource-id", $"service/{Stack}/api"))["ScalingPolicies"]!.AsArray().Single(p => (string?)p!["PolicyName"] == "requests")!;
            Assert.Equal(1300, (double)requestsAfter["TargetTrackingScalingPolicyConfiguration"]!["TargetValue"]!);
            var policiesAfter = await PoliciesAsync();
            Assert.DoesNotContain("service/anb-test/worker obsolete", policiesAfter);
            Assert.Equal(5, policiesAfter.Length);

            // moto's create-service drops deploymentConfiguration; the update sends every field that differs
            // from the running service, so after it both services carry the circuit breaker.
            var updated = (await moto.AwsAsync("ecs", "describe-services", "--cluster", Stack, "--services", "api", "worker"))["services"]!.AsArray();
            Assert.All(updated, s =>
            {
                var breaker = s!["deploymentConfiguration"]?["deploymentCircuitBreaker"];
                Assert.True(breaker is not null && (bool)breaker["enable"]! && (bool)breaker["rollback"]!, s.ToJsonString());
            });
            Assert.Equal(120, (int)updated[0]!["healthCheckGracePeriodSeconds"]!);
        }
        finally
        {
            File.Delete(outputsFile);
        }
    }

    [Fact]
    public async Task DeployScript_MigrationTaskThatDoesNotFinish_LeavesTheServicesAlone()
    {
        var outputs = await CreateWhatTheStackWouldAsync("anb-stuck");
        var outputsFile = await WriteOutputsAsync(outputs);
        await moto.SetTaskTransitionAsync(manual: true);
        try
        {
            var result = await DeployAsync(
                outputsFile, skipImages: true, "test-tag", ("STACK_NAME", "anb-stuck"), ("MIGRATION_TIMEOUT_SECONDS", "2"), ("MIGRATION_POLL_SECONDS", "1"));

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("still RUNNING after 2s; services not updated", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("service api", result.StandardError, StringComparison.Ordinal);
            Assert.Empty((await moto.AwsAsync("ecs", "list-services", "--cluster", "anb-stuck"))["serviceArns"]!.AsArray());
        }
        finally
        {
            await moto.SetTaskTransitionAsync(manual: false);
            File.Delete(outputsFile);
        }
    }

    [Fact]
    public async Task DeployScript_MissingStackOutput_FailsBeforeTouchingAws()
    {
        var outputsFile = await WriteOutputsAsync(new JsonArray(Output("ClusterName", "somewhere")));
        try
        {
            var result = await DeployAsync(outputsFile, skipImages: true);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("stack output PrivateSubnet1 is missing", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outputsFile);
        }
    }

    [Fact]
    public async Task DeployScript_NoDockerAndImagesNotInEcr_FailsWithAdvice()
    {
        var outputsFile = await WriteOutputsAsync(StackOutputs(new Dictionary<string, string>()));
        try
        {
            var result = await DeployAsync(outputsFile, skipImages: false, "never-pushed", ("DOCKER", NoDocker));

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("docker cannot build here", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("--skip-images", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("registering task definition", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outputsFile);
        }
    }

    private Task<ProcessResult> DeployAsync(
        string outputsFile, bool skipImages, string tag = "test-tag", params (string Name, string Value)[] settings)
    {
        var environment = ProcessRunner.IsolatedAwsEnvironment(moto.EndpointUrl);
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        environment.TryAdd("MIGRATION_POLL_SECONDS", "0");
        string[] arguments =
        [
            RepositoryPaths.InAws("deploy.sh"), "--skip-stack", "--outputs-file", outputsFile,
            "--stack-name", environment.GetValueOrDefault("STACK_NAME") ?? Stack, "--region", "us-east-1", "--image-tag", tag, "--no-wait",
        ];
        return ProcessRunner.RunAsync(
            "bash",
            skipImages ? [.. arguments, "--skip-images"] : arguments,
            environment: environment,
            timeout: TimeSpan.FromMinutes(5)); // about 12 s on an idle machine; generous for a loaded shared one
    }

    private static async Task<string> WriteOutputsAsync(JsonArray outputs)
    {
        var path = Path.Combine(Path.GetTempPath(), $"anb-outputs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, outputs.ToJsonString());
        return path;
    }

    /// <summary>What a docker build would have pushed: a manifest under the tag in each ECR repository.</summary>
    private async Task PushFakeImagesAsync(string tag)
    {
        const string manifest = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,
             "digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}
            """;
        foreach (var repository in new[] { $"{Stack}-api", $"{Stack}-worker" })
        {
            await moto.AwsAsync("ecr", "create-repository", "--repository-name", repository);
            await moto.AwsAsync("ecr", "put-image", "--repository-name", repository, "--image-tag", tag, "--image-manifest", manifest);
        }
    }

    /// <summary>The cluster, network and target group the stack would create; the rest of its outputs as plain values.</summary>
    private async Task<JsonArray> CreateWhatTheStackWouldAsync(string clusterName = Stack)
    {
        var cluster = moto.AwsAsync("ecs", "create-cluster", "--cluster-name", clusterName, "--settings", "name=containerInsights,value=enabled");
        var vpc = (string)(await moto.AwsAsync("ec2", "create-vpc", "--cidr-block", "10.20.0.0/16"))["Vpc"]!["VpcId"]!;

        // As the template's VPC (EnableDnsHostnames); moto's run-task in awsvpc mode needs it too.
        await moto.AwsAsync("ec2", "modify-vpc-attribute", "--vpc-id", vpc, "--enable-dns-hostnames", """{"Value":true}""");
        var subnet1 = moto.AwsAsync("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.20.10.0/24");
        var subnet2 = moto.AwsAsync("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.20.11.0/24");
        var apiGroup = moto.AwsAsync("ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "api", "--description", "api");
        var workerGroup = moto.AwsAsync("ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "worker", "--description", "worker");
        var targetGroup = moto.AwsAsync(
            "elbv2", "create-target-group", "--name", $"{clusterName}-api", "--protocol", "HTTP", "--port", "8080",
            "--vpc-id", vpc, "--target-type", "ip", "--health-check-path", "/health/ready");
        await Task.WhenAll(cluster, subnet1, subnet2, apiGroup, workerGroup, targetGroup);

        return StackOutputs(new Dictionary<string, string>
        {
            ["ClusterName"] = clusterName,
            ["PrivateSubnet1"] = (string)(await subnet1)["Subnet"]!["SubnetId"]!,
            ["PrivateSubnet2"] = (string)(await subnet2)["Subnet"]!["SubnetId"]!,
            ["ApiSecurityGroupId"] = (string)(await apiGroup)["GroupId"]!,
            ["WorkerSecurityGroupId"] = (string)(await workerGroup)["GroupId"]!,
            ["TargetGroupArn"] = (string)(await targetGroup)["TargetGroups"]![0]!["TargetGroupArn"]!,
        });
    }

    /// <summary>Every output deploy.sh reads: plausible values, replaced by <paramref name="real"/> where given.</summary>
    private static JsonArray StackOutputs(Dictionary<string, string> real)
    {
        const string account = "123456789012";
        var values = new Dictionary<string, string>
        {
            ["ClusterName"] = Stack,
            ["PrivateSubnet1"] = "subnet-00000000000000001",
            ["PrivateSubnet2"] = "subnet-00000000000000002",
            ["ApiSecurityGroupId"] = "sg-00000000000000001",
            ["WorkerSecurityGroupId"] = "sg-00000000000000002",
            ["TargetGroupArn"] = $"arn:aws:elasticloadbalancing:us-east-1:{account}:targetgroup/anb-test-api/fedcba9876543210",
            ["AlbResourceLabel"] = "app/anb-test-alb/0123456789abcdef/targetgroup/anb-test-api/fedcba9876543210",
            ["BucketName"] = "anb-test-videos",
            ["QueueUrl"] = $"https://sqs.us-east-1.amazonaws.com/{account}/anb-test-processing",
            ["QueueName"] = "anb-test-processing",
            ["QueueVisibilityTimeoutSeconds"] = "60",
            ["DbEndpoint"] = "anb-test.abc.us-east-1.rds.amazonaws.com",
            ["DbPort"] = "5432",
            ["DbName"] = "anb",
            ["DbUsername"] = "anb",
            ["DbSecretArn"] = $"arn:aws:secretsmanager:us-east-1:{account}:secret:anb-test-db-AbCdEf",
            ["DbAppUsername"] = "anb_app",
            ["DbAppSecretArn"] = $"arn:aws:secretsmanager:us-east-1:{account}:secret:anb-test-db-app-AbCdEf",
            ["JwtSecretArn"] = $"arn:aws:secretsmanager:us-east-1:{account}:secret:anb-test-jwt-AbCdEf",
            ["TaskExecutionRoleArn"] = $"arn:aws:iam::{account}:role/anb-test-execution",
            ["ApiTaskRoleArn"] = $"arn:aws:iam::{account}:role/anb-test-api",
            ["WorkerTaskRoleArn"] = $"arn:aws:iam::{account}:role/anb-test-worker",
            ["ApiLogGroupName"] = "/ecs/anb-test/api",
            ["WorkerLogGroupName"] = "/ecs/anb-test/worker",
            ["CollectorLogGroupName"] = "/ecs/anb-test/otel-collector",
            ["MetricsLogGroupName"] = "/ecs/anb-test/otel-metrics",
            ["ApiRepositoryUri"] = $"{account}.dkr.ecr.us-east-1.amazonaws.com/{Stack}-api",
            ["WorkerRepositoryUri"] = $"{account}.dkr.ecr.us-east-1.amazonaws.com/{Stack}-worker",
        };
        foreach (var (key, value) in real)
        {
            values[key] = value;
        }

        return [.. values.Select(v => (JsonNode)Output(v.Key, v.Value))];
    }

    private static JsonObject Output(string key, string value) => new() { ["OutputKey"] = key, ["OutputValue"] = value };

    private static string ValueOf(JsonArray outputs, string key) =>
        (string)outputs.Single(o => (string?)o!["OutputKey"] == key)!["OutputValue"]!;

    private async Task<List<JsonNode>> MigrationTasksAsync()
    {
        // moto lists stopped tasks too (AWS would need --desired-status STOPPED, and keeps them an hour).
        var arns = (await moto.AwsAsync("ecs", "list-tasks", "--cluster", Stack, "--family", $"{Stack}-migrate"))["taskArns"]!.AsArray()
            .Select(a => (string)a!)
            .ToArray();
        if (arns.Length == 0)
        {
            return [];
        }

        var tasks = (await moto.AwsAsync(["ecs", "describe-tasks", "--cluster", Stack, "--tasks", .. arns]))["tasks"]!.AsArray();
        return [.. tasks.Select(t => t!)];
    }

    private async Task<string[]> ScalableTargetsAsync() =>
        [.. (await moto.AwsAsync("application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs"))["ScalableTargets"]!
            .AsArray()
            .Select(t => $"{t!["ResourceId"]} {t["MinCapacity"]}-{t["MaxCapacity"]}")
            .Order(StringComparer.Ordinal)];

    private async Task<string[]> PoliciesAsync() =>
        [.. (await moto.AwsAsync("application-autoscaling", "describe-scaling-policies", "--service-namespace", "ecs"))["ScalingPolicies"]!
            .AsArray()
            .Select(p => $"{p!["ResourceId"]} {p["PolicyName"]}")
            .Order(StringComparer.Ordinal)];
}
