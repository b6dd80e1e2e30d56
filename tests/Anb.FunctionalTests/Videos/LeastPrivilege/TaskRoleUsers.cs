using System.Diagnostics;
using System.Text.Json.Nodes;
using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Videos.LeastPrivilege;

/// <summary>Access keys of an IAM user in the emulator.</summary>
public sealed record AccessKey(string Id, string Secret);

/// <summary>
/// IAM users in a moto_server started with <c>INITIAL_NO_AUTH_ACTION_COUNT</c>, one per task role of
/// <c>aws/infrastructure.yaml</c>, carrying exactly that role's inline policies as the template defines them
/// (decoded by cfn-lint's parser, the bucket and queue ARNs put in for <c>VideoBucket.Arn</c> and
/// <c>ProcessingQueue.Arn</c>), plus an <c>admin</c> user for the test's own set-up. The set-up makes exactly
/// <see cref="UnauthenticatedRequests"/> requests, after which moto checks every request against IAM.
/// </summary>
public static class TaskRoleUsers
{
    /// <summary>What moto lets through before it enforces IAM: the set-up below, padded to this count.</summary>
    public const int UnauthenticatedRequests = 24;

    private const string Script = """
        import json, re, sys
        import boto3
        from cfnlint.decode import decode

        template_path, endpoint, bucket_arn, queue_arn, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
        template, problems = decode(template_path)
        if problems:
            sys.exit("\n".join(str(p) for p in problems))
        arns = {"VideoBucket": bucket_arn, "ProcessingQueue": queue_arn}

        def resolve(node):
            if isinstance(node, list):
                return [resolve(n) for n in node]
            if not isinstance(node, dict):
                return node
            if set(node) == {"Fn::GetAtt"} and node["Fn::GetAtt"][1] == "Arn":
                return arns[node["Fn::GetAtt"][0]]
            if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
                text = re.sub(r"\$\{(\w+)\.Arn\}", lambda m: arns[m.group(1)], node["Fn::Sub"])
                if "${" in text:
                    sys.exit(f"unresolved: {text}")
                return text
            if any(k.startswith("Fn::") or k == "Ref" for k in node):
                sys.exit(f"unresolved: {json.dumps(node)}")
            return {k: resolve(v) for k, v in node.items()}

        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        used = 0
        keys = {}
        users = {"ApiTaskRole": None, "WorkerTaskRole": None, "admin": None}
        for user in users:
            iam.create_user(UserName=user)
            used += 1
            if user == "admin":
                policies = [{"PolicyName": "all", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]
            else:
                policies = resolve(template["Resources"][user]["Properties"]["Policies"])
            for policy in policies:
                iam.put_user_policy(UserName=user, PolicyName=policy["PolicyName"], PolicyDocument=json.dumps(policy["PolicyDocument"]))
                used += 1
            key = iam.create_access_key(UserName=user)["AccessKey"]
            used += 1
            keys[user] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"], "policies": policies}
        if used > count:
            sys.exit(f"the set-up needs {used} requests, more than {count}")
        for _ in range(count - used):
            iam.get_user(UserName="admin")
        json.dump(keys, sys.stdout)
        """;

    /// <summary>Creates the users; returns each one's keys and the policies it carries, by role name (and <c>admin</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, (AccessKey Key, JsonArray Policies)>> CreateAsync(
        string endpointUrl, string bucketArn, string queueArn)
    {
        var info = new ProcessStartInfo("python3")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-c", Script, Path.Combine(RepositoryPaths.Aws, "infrastructure.yaml"), endpointUrl, bucketArn, queueArn,
            UnauthenticatedRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"IAM set-up failed: {await error}");
        return JsonNode.Parse(await output)!.AsObject().ToDictionary(
            u => u.Key,
            u => (new AccessKey((string)u.Value!["id"]!, (string)u.Value!["secret"]!), u.Value!["policies"]!.AsArray()));
    }
}
