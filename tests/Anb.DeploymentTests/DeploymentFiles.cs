using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Anb.DeploymentTests;

/// <summary>Reads the files under <c>aws/</c>: JSON inputs with <c>${NAME}</c> placeholders and the template.</summary>
internal static partial class DeploymentFiles
{
    private static readonly JsonDocumentOptions Lenient = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private const string TemplateDecoder = """
        import json, sys
        from cfnlint.decode import decode
        template, problems = decode(sys.argv[1])
        if problems:
            sys.exit("\n".join(str(p) for p in problems))
        json.dump(template, sys.stdout)
        """;

    private const string YamlDecoder = """
        import json, sys, yaml
        json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout)
        """;

    private static readonly Lazy<Task<JsonObject>> Template = new(() => DecodeAsync(TemplateDecoder, "infrastructure.yaml"));
    private static readonly Lazy<Task<JsonObject>> Collector = new(() => DecodeAsync(YamlDecoder, "otel-collector.yaml"));

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    public static JsonObject ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(path), documentOptions: Lenient)?.AsObject()
        ?? throw new InvalidDataException($"{path} is not a JSON object");

    public static JsonObject ReadAwsJson(params string[] parts) => ReadJson(RepositoryPaths.InAws(parts));

    public static IReadOnlyList<string> PlaceholdersIn(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct()];

    /// <summary>Replaces every placeholder with a recognisable dummy string.</summary>
    public static string RenderWithDummies(string text) =>
        Placeholder().Replace(text, m => "dummy-" + m.Groups[1].Value.ToLowerInvariant().Replace('_', '-'));

    /// <summary>The CloudFormation template as JSON, short-form tags expanded, decoded by cfn-lint's own parser.</summary>
    public static Task<JsonObject> TemplateAsync() => Template.Value;

    /// <summary>aws/otel-collector.yaml as JSON, read by PyYAML (a dependency of cfn-lint).</summary>
    public static Task<JsonObject> CollectorConfigAsync() => Collector.Value;

    private static async Task<JsonObject> DecodeAsync(string decoder, string file)
    {
        var result = await ProcessRunner.RunAsync("python3", ["-c", decoder, RepositoryPaths.InAws(file)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"could not decode aws/{file}: {result}");
        }

        return JsonNode.Parse(result.StandardOutput)!.AsObject();
    }
}
