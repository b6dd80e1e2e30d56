using System.Globalization;
using System.Text.Json.Nodes;

namespace Anb.DeploymentTests;

/// <summary>
/// The task definitions only set what the hosts read, keep secrets in Secrets Manager and have the
/// agreed sizes. A setting the app reads has a default in the host's appsettings.json; variables with
/// the ASPNETCORE_, DOTNET_ and AWS_ prefixes are read by the framework or the AWS SDK, OTEL_ by the
/// OpenTelemetry SDK, TMPDIR by the runtime.
/// </summary>
public sealed class TaskDefinitionTests
{
    private static readonly string[] FrameworkPrefixes = ["ASPNETCORE_", "DOTNET_", "AWS_", "OTEL_", "TMPDIR"];

    public static TheoryData<string, string> Hosts() => new()
    {
        { "api.json", "Anb.WebApi" },
        { "worker.json", "Anb.WorkerHost" },
        { "migrate.json", "Anb.WorkerHost" },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void TaskDefinition_SetsOnlySettingsTheHostReads(string taskDefinition, string host)
    {
        var container = Container(taskDefinition);
        var defaults = ConfigurationKeys(Path.Combine(RepositoryPaths.Root, host, "appsettings.json"));
        var names = Names(container["environment"]).Concat(Names(container["secrets"])).ToArray();

        var unknown = names
            .Where(n => !FrameworkPrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal)))
            .Where(n => !defaults.Contains(n.Replace("__", ":", StringComparison.Ordinal)))
            .ToArray();

        Assert.NotEmpty(names);
        Assert.True(
            unknown.Length == 0,
            $"{host}/appsettings.json has no default for: {string.Join(", ", unknown.Select(n => n.Replace("__", ":", StringComparison.Ordinal)))}");
    }

    [Fact]
    public void TaskDefinitions_TakeSecretsFromSecretsManagerOnly()
    {
        var api = Container("api.json");
        var worker = Container("worker.json");

        var migrate = Container("migrate.json");

        // The services get the application role's password; only the migrate task gets the master one.
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Database__Password"] = "${DB_APP_SECRET_ARN}:password::",
                ["Jwt__SigningKey"] = "${JWT_SECRET_ARN}",
            },
            Secrets(api));
        Assert.Equal(
            new Dictionary<string, string> { ["Database__Password"] = "${DB_APP_SECRET_ARN}:password::" },
            Secrets(worker));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Database__Password"] = "${DB_SECRET_ARN}:password::",
                ["Database__ApplicationRolePassword"] = "${DB_APP_SECRET_ARN}:password::",
            },
            Secrets(migrate));
        foreach (var name in Names(api["environment"]).Concat(Names(worker["environment"])).Concat(Names(migrate["environment"])))
        {
            Assert.DoesNotMatch("(?i)password|signingkey|secret|token", name);
        }

        Assert.DoesNotContain("Password=", EnvironmentValue(api, "ConnectionStrings__Database"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Services_ConnectAsTheApplicationRoleAndDoNotMigrate_TheMigrateTaskDoesAsMaster()
    {
        foreach (var file in new[] { "api.json", "worker.json" })
        {
            var container = Container(file);
            Assert.Contains("Username=${DB_APP_USERNAME};", EnvironmentValue(container, "ConnectionStrings__Database"), StringComparison.Ordinal);
            Assert.Equal("false", EnvironmentValue(container, "Database__MigrateAtStartUp"));
            Assert.True(int.Parse(EnvironmentValue(container, "Database__MaxPoolSize"), CultureInfo.InvariantCulture) > 0, file);
        }

        var migrate = Container("migrate.json");
        Assert.Equal(["migrate"], migrate["command"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("${WORKER_IMAGE}", (string?)migrate["image"]);
        Assert.Contains("Username=${DB_USERNAME};", EnvironmentValue(migrate, "ConnectionStrings__Database"), StringComparison.Ordinal);
        Assert.Equal("${DB_APP_USERNAME}", EnvironmentValue(migrate, "Database__ApplicationRole"));
        Assert.Null(DeploymentFiles.ReadAwsJson("task-definitions", "migrate.json")["taskRoleArn"]);

        var run = DeploymentFiles.ReadAwsJson("tasks", "migrate.json");
        Assert.Equal("${MIGRATE_TASK_DEFINITION_ARN}", (string?)run["taskDefinition"]);
        Assert.Equal(["${WORKER_SECURITY_GROUP}"], run["networkConfiguration"]!["awsvpcConfiguration"]!["securityGroups"]!.AsArray().Select(g => (string?)g));
    }

    [Fact]
    public void Api_LetsItsWebPageShowPostersAndVideosFromTheBucket()
    {
        // Signed S3 links point at the bucket, not the API: without its origin the page's CSP blocks them.
        var sources = EnvironmentValue(Container("api.json"), "WebPage__MediaSources").Split(' ');

        Assert.Contains("https://${BUCKET_NAME}.s3.${AWS_REGION}.amazonaws.com", sources);
    }

    [Fact]
    public void TaskDefinitions_AreFargateWithTheAgreedSizes()
    {
        var api = DeploymentFiles.ReadAwsJson("task-definitions", "api.json");
        var worker = DeploymentFiles.ReadAwsJson("task-definitions", "worker.json");

        foreach (var definition in new[] { api, worker, DeploymentFiles.ReadAwsJson("task-definitions", "migrate.json") })
        {
            Assert.Equal(["FARGATE"], definition["requiresCompatibilities"]!.AsArray().Select(v => (string?)v));
            Assert.Equal("awsvpc", (string?)definition["networkMode"]);
            Assert.Equal("${TASK_EXECUTION_ROLE_ARN}", (string?)definition["executionRoleArn"]);
            var log = definition["containerDefinitions"]![0]!["logConfiguration"]!;
            Assert.Equal("awslogs", (string?)log["logDriver"]);
            Assert.Equal("${AWS_REGION}", (string?)log["options"]!["awslogs-region"]);
        }

        Assert.Equal(("512", "1024"), ((string?)api["cpu"], (string?)api["memory"]));
        Assert.Equal(("2048", "4096"), ((string?)worker["cpu"], (string?)worker["memory"]));
        Assert.Equal(120, (int)Container("worker.json")["stopTimeout"]!);
        Assert.Equal(8080, (int)Container("api.json")["portMappings"]![0]!["containerPort"]!);
        Assert.Equal("${API_TASK_ROLE_ARN}", (string?)api["taskRoleArn"]);
        Assert.Equal("${WORKER_TASK_ROLE_ARN}", (string?)worker["taskRoleArn"]);
    }

    [Fact]
    public void Services_RunPrivatelyWithCircuitBreaker()
    {
        var api = DeploymentFiles.ReadAwsJson("services", "api.json");
        var worker = DeploymentFiles.ReadAwsJson("services", "worker.json");

        foreach (var service in new[] { api, worker })
        {
            Assert.Equal("FARGATE", (string?)service["launchType"]);
            var network = service["networkConfiguration"]!["awsvpcConfiguration"]!;
            Assert.Equal("DISABLED", (string?)network["assignPublicIp"]);
            Assert.Equal(["${PRIVATE_SUBNET_1}", "${PRIVATE_SUBNET_2}"], network["subnets"]!.AsArray().Select(v => (string?)v));
            var breaker = service["deploymentConfiguration"]!["deploymentCircuitBreaker"]!;
            Assert.True((bool)breaker["enable"]! && (bool)breaker["rollback"]!);
        }

        var loadBalancer = api["loadBalancers"]![0]!;
        Assert.Equal("${TARGET_GROUP_ARN}", (string?)loadBalancer["targetGroupArn"]);
        Assert.Equal(8080, (int)loadBalancer["containerPort"]!);
        Assert.True((int)api["healthCheckGracePeriodSeconds"]! >= 60);
        Assert.Null(worker["loadBalancers"]);
    }

    internal static JsonObject Container(string taskDefinition) =>
        DeploymentFiles.ReadAwsJson("task-definitions", taskDefinition)["containerDefinitions"]![0]!.AsObject();

    internal static string EnvironmentValue(JsonObject container, string name) =>
        (string?)container["environment"]!.AsArray().Single(e => (string?)e!["name"] == name)!["value"]
        ?? throw new KeyNotFoundException(name);

    private static IEnumerable<string> Names(JsonNode? list) =>
        list?.AsArray().Select(e => (string)e!["name"]!) ?? [];

    private static Dictionary<string, string> Secrets(JsonObject container) =>
        container["secrets"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (string)s!["valueFrom"]!);

    /// <summary>Every value key of a JSON configuration file in IConfiguration form (A:B:C), case-insensitive.</summary>
    private static HashSet<string> ConfigurationKeys(string appsettings)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var root = DeploymentFiles.ReadJson(appsettings);
        Collect(root, null);
        return keys;

        // Only values count: an environment variable naming a whole section sets nothing the app reads.
        void Collect(JsonNode? node, string? prefix)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        Collect(value, prefix is null ? key : $"{prefix}:{key}");
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Collect(a[i], $"{prefix}:{i}");
                    }

                    break;
                default:
                    keys.Add(prefix ?? string.Empty);
                    break;
            }
        }
    }
}
