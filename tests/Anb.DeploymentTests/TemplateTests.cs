using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Anb.DeploymentTests;

/// <summary>The CloudFormation template lints clean and holds the network, data and IAM design.</summary>
public sealed partial class TemplateTests
{
    [Fact]
    public async Task Template_PassesCfnLint()
    {
        // Exit 0 means no error and no warning. A warning we accept must be suppressed in the template
        // (Metadata cfn-lint ignore_checks) next to a comment that justifies it.
        var result = await ProcessRunner.RunAsync("cfn-lint", [RepositoryPaths.InAws("infrastructure.yaml")]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Template_SecurityGroups_AllowOnlyTheDesignedTraffic()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var groups = template.OfType("AWS::EC2::SecurityGroup").Select(g => g.Id).Order().ToArray();
        var ingress = IngressRules(template).ToLookup(r => r.Group);

        Assert.Equal(["AlbSecurityGroup", "ApiSecurityGroup", "DatabaseSecurityGroup", "WorkerSecurityGroup"], groups);
        Assert.Equal(
            ["tcp 443-443 from 0.0.0.0/0", "tcp 80-80 from 0.0.0.0/0"],
            ingress["AlbSecurityGroup"].Select(r => r.Rule).Order());
        Assert.Equal(["tcp 8080-8080 from AlbSecurityGroup"], ingress["ApiSecurityGroup"].Select(r => r.Rule));
        Assert.Empty(ingress["WorkerSecurityGroup"]);
        Assert.Equal(
            ["tcp 5432-5432 from ApiSecurityGroup", "tcp 5432-5432 from WorkerSecurityGroup"],
            ingress["DatabaseSecurityGroup"].Select(r => r.Rule).Order());
    }

    [Fact]
    public async Task Template_LoadBalancerGroup_ReachesOnlyTheApiGroupOnItsPort()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var egress = TemplateJson.Items(template.Properties("AlbSecurityGroup")["SecurityGroupEgress"])
            .Select(r => r!.AsObject())
            .Select(r => $"{(string?)r["IpProtocol"]} {r["FromPort"]}-{r["ToPort"]} to {TemplateJson.Target(r["DestinationSecurityGroupId"]) ?? (string?)r["CidrIp"]}");

        // Inline, so it replaces the default allow-all rule; a separate egress resource would only add to it.
        Assert.Equal(["tcp 8080-8080 to ApiSecurityGroup"], egress);
        Assert.Empty(template.OfType("AWS::EC2::SecurityGroupEgress"));
        Assert.Equal(8080, (int)template.Properties("ApiTargetGroup")["Port"]!);
    }

    [Fact]
    public async Task Template_NeedsACertificateOrAnExplicitPlainHttp_AndRedirectsHttpWithOne()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var parameters = template["Parameters"]!;
        var rule = template["Rules"]!["CertificateOrExplicitPlainHttp"]!;
        var http = template.Properties("HttpListener")["DefaultActions"]![0]!["Fn::If"]!.AsArray();

        Assert.Equal("false", (string?)parameters["AllowPlainHttp"]!["Default"]);
        Assert.Equal("", (string?)parameters["CertificateArn"]!["Default"]);
        Assert.Equal("""{"Fn::Equals":[{"Ref":"AllowPlainHttp"},"false"]}""", rule["RuleCondition"]!.ToJsonString());
        Assert.Equal(
            """{"Fn::Not":[{"Fn::Equals":[{"Ref":"CertificateArn"},""]}]}""",
            rule["Assertions"]![0]!["Assert"]!.ToJsonString());
        Assert.Equal("HasCertificate", (string?)http[0]);
        Assert.Equal("redirect", (string?)http[1]!["Type"]);
        Assert.Equal(("HTTPS", "443", "HTTP_301"), (
            (string?)http[1]!["RedirectConfig"]!["Protocol"],
            (string?)http[1]!["RedirectConfig"]!["Port"],
            (string?)http[1]!["RedirectConfig"]!["StatusCode"]));
        Assert.Equal("forward", (string?)http[2]!["Type"]);
        Assert.Equal("HTTPS", (string?)template.Properties("HttpsListener")["Protocol"]);
    }

    [Fact]
    public async Task Template_LoadBalancer_ForwardsToPort8080AndChecksLiveness()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var targetGroup = template.Properties("ApiTargetGroup");
        var https = template.Resource("HttpsListener");

        Assert.Equal("internet-facing", (string?)template.Properties("LoadBalancer")["Scheme"]);
        Assert.Equal(["PublicSubnet1", "PublicSubnet2"], TemplateJson.Items(template.Properties("LoadBalancer")["Subnets"]).Select(TemplateJson.Target));
        Assert.Equal("ip", (string?)targetGroup["TargetType"]);
        Assert.Equal(8080, (int)targetGroup["Port"]!);
        // Liveness: a database failover must not make every API task unhealthy at once.
        Assert.Equal("/health", (string?)targetGroup["HealthCheckPath"]);
        Assert.Equal(80, (int)template.Properties("HttpListener")["Port"]!);
        Assert.Equal("HasCertificate", (string?)https["Condition"]);
        Assert.Equal(443, (int)https["Properties"]!["Port"]!);
    }

    [Fact]
    public async Task Template_DataStores_ArePrivateAndEncrypted()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var database = template.Properties("Database");
        var subnetGroup = template.Properties(TemplateJson.Target(database["DBSubnetGroupName"])!);
        var bucket = template.Properties("VideoBucket");
        var jwt = template.Properties("JwtSigningKeySecret")["GenerateSecretString"]!;

        Assert.True((bool)database["StorageEncrypted"]!);
        Assert.False((bool)database["PubliclyAccessible"]!);
        Assert.Equal(["DatabaseSecurityGroup"], TemplateJson.Items(database["VPCSecurityGroups"]).Select(TemplateJson.Target));
        Assert.Equal(["PrivateSubnet1", "PrivateSubnet2"], TemplateJson.Items(subnetGroup["SubnetIds"]).Select(TemplateJson.Target));
        var managed = database["ManageMasterUserPassword"] is JsonValue m && (bool)m;
        var fromSecret = database["MasterUserPassword"]?.ToJsonString().Contains("resolve:secretsmanager", StringComparison.Ordinal) == true;
        Assert.True(managed || fromSecret, "the master password must live in Secrets Manager");

        var app = template.Properties("DatabaseAppSecret")["GenerateSecretString"]!;
        Assert.Equal("password", (string?)app["GenerateStringKey"]);
        Assert.Contains("DbAppUsername", app["SecretStringTemplate"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("DbInstanceClass", TemplateJson.Target(database["DBInstanceClass"]));
        Assert.Contains("IsDbMultiAz", database["MultiAZ"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(template["Rules"]!["DistinctDatabaseRoles"]);

        Assert.Equal(64, (int)jwt["PasswordLength"]!);
        Assert.Null(jwt["SecretStringTemplate"]);

        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.Equal(4, block.Count);
        Assert.All(block, p => Assert.True((bool)p.Value!, p.Key));
        var algorithm = (string?)bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"];
        Assert.Contains(algorithm, new[] { "AES256", "aws:kms" });

        Assert.Equal(1209600, (int)template.Properties("ProcessingDeadLetterQueue")["MessageRetentionPeriod"]!);
    }

    [Fact]
    public async Task Template_TaskRoles_AreLeastPrivilege()
    {
        var template = await DeploymentFiles.TemplateAsync();

        // What the code calls (proven under IAM enforcement by AwsLeastPrivilegeTests), per key prefix.
        Assert.Equal(
            ["s3:AbortMultipartUpload originals/", "s3:DeleteObject originals/", "s3:DeleteObject processed/",
             "s3:GetObject originals/", "s3:GetObject processed/", "s3:ListBucket (bucket)", "s3:PutObject originals/", "sqs:SendMessage"],
            ScopedActions(template, "ApiTaskRole"));
        Assert.Equal(
            ["s3:AbortMultipartUpload processed/", "s3:DeleteObject originals/", "s3:DeleteObject processed/", "s3:GetObject originals/",
             "s3:ListBucket (bucket) prefix originals/*", "s3:PutObject processed/", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage"],
            ScopedActions(template, "WorkerTaskRole"));
        Assert.Equal(
            ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer",
             "logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue"],
            Actions(template, "TaskExecutionRole"));

        foreach (var role in new[] { "ApiTaskRole", "WorkerTaskRole", "TaskExecutionRole" })
        {
            foreach (var statement in Statements(template, role))
            {
                var actions = TemplateJson.Items(statement["Action"]).Select(a => (string?)a).ToArray();
                var wildcardResource = TemplateJson.Items(statement["Resource"]).Any(r => r is JsonValue v && (string?)v == "*");
                Assert.DoesNotContain(actions, a => a!.Contains('*', StringComparison.Ordinal));
                Assert.False(wildcardResource && !actions.SequenceEqual(["ecr:GetAuthorizationToken"]), $"{role}: Resource * for {string.Join(',', actions)}");
            }
        }
    }

    [Fact]
    public async Task Template_Outputs_CoverEverythingDeployShReads()
    {
        var template = await DeploymentFiles.TemplateAsync();
        var outputs = template["Outputs"]!.AsObject().Select(o => o.Key).ToHashSet();
        var script = await File.ReadAllTextAsync(RepositoryPaths.InAws("deploy.sh"));
        var read = OutputCall().Matches(script).Select(m => m.Groups[1].Value).Distinct().ToArray();

        Assert.NotEmpty(read);
        Assert.All(read, key => Assert.Contains(key, outputs));
        Assert.Superset(
            new HashSet<string> { "QueueArn", "DeadLetterQueueArn", "ApiUrl", "DbSecretArn", "JwtSecretArn", "ClusterName" },
            outputs);
    }

    [GeneratedRegex(@"\$\(output ([A-Za-z0-9]+)\)")]
    private static partial Regex OutputCall();

    private static IEnumerable<(string Group, string Rule)> IngressRules(JsonObject template)
    {
        foreach (var (id, resource) in template.OfType("AWS::EC2::SecurityGroup"))
        {
            foreach (var rule in TemplateJson.Items(resource["Properties"]!["SecurityGroupIngress"]))
            {
                yield return (id, Describe(rule!.AsObject()));
            }
        }

        foreach (var (_, resource) in template.OfType("AWS::EC2::SecurityGroupIngress"))
        {
            var properties = resource["Properties"]!.AsObject();
            yield return (TemplateJson.Target(properties["GroupId"])!, Describe(properties));
        }
    }

    private static string Describe(JsonObject rule)
    {
        var source = rule["CidrIp"] is { } cidr ? (string?)cidr
            : rule["CidrIpv6"] is { } cidr6 ? (string?)cidr6
            : TemplateJson.Target(rule["SourceSecurityGroupId"]);
        return $"{(string?)rule["IpProtocol"]} {rule["FromPort"]}-{rule["ToPort"]} from {source}";
    }

    private static IEnumerable<JsonObject> Statements(JsonObject template, string role) =>
        TemplateJson.Items(template.Properties(role)["Policies"])
            .SelectMany(p => TemplateJson.Items(p!["PolicyDocument"]!["Statement"]))
            .Select(s => s!.AsObject())
            .Where(s => (string?)s["Effect"] == "Allow");

    /// <summary>Each S3 action with the key prefix (or the bucket) it is allowed on; other actions as they are.</summary>
    private static string[] ScopedActions(JsonObject template, string role)
    {
        Assert.Null(template.Properties(role)["ManagedPolicyArns"]);
        return [.. Statements(template, role)
            .SelectMany(s => TemplateJson.Items(s["Action"]).Select(a => (string)a!)
                .SelectMany(action => action.StartsWith("s3:", StringComparison.Ordinal)
                    ? TemplateJson.Items(s["Resource"]).Select(r => $"{action} {S3Scope(r, s)}")
                    : [action]))
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }

    private static string S3Scope(JsonNode? resource, JsonNode statement)
    {
        if (TemplateJson.Target(resource) == "VideoBucket")
        {
            var prefix = (string?)statement["Condition"]?["StringLike"]?["s3:prefix"];
            Assert.True(prefix is not null || statement["Condition"] is null, $"unexpected condition {statement["Condition"]?.ToJsonString()}");
            return prefix is null ? "(bucket)" : $"(bucket) prefix {prefix}";
        }

        var pattern = (string?)resource?["Fn::Sub"] ?? throw new InvalidDataException($"unexpected S3 resource {resource?.ToJsonString()}");
        var match = Regex.Match(pattern, @"^\$\{VideoBucket\.Arn\}/([a-z]+/)\*$");
        Assert.True(match.Success, $"S3 object actions must be scoped to a key prefix: {pattern}");
        return match.Groups[1].Value;
    }

    private static string[] Actions(JsonObject template, string role)
    {
        Assert.Null(template.Properties(role)["ManagedPolicyArns"]);
        return [.. Statements(template, role)
            .SelectMany(s => TemplateJson.Items(s["Action"]))
            .Select(a => (string)a!)
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }
}
