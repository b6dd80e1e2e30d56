using System.Text.Json.Nodes;

namespace Anb.DeploymentTests;

/// <summary>Small readers over the decoded CloudFormation template.</summary>
internal static class TemplateJson
{
    public static JsonObject Resources(this JsonObject template) => template["Resources"]!.AsObject();

    public static JsonObject Resource(this JsonObject template, string logicalId) =>
        template.Resources()[logicalId]?.AsObject()
        ?? throw new KeyNotFoundException($"template has no resource {logicalId}");

    public static JsonObject Properties(this JsonObject template, string logicalId) =>
        template.Resource(logicalId)["Properties"]!.AsObject();

    public static IEnumerable<(string Id, JsonObject Resource)> OfType(this JsonObject template, string type) =>
        template.Resources()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>The logical id named by <c>{"Ref": id}</c> or <c>{"Fn::GetAtt": [id, ...]}</c>; otherwise the string itself.</summary>
    public static string? Target(JsonNode? node) => node switch
    {
        JsonObject o when o["Ref"] is JsonValue r => (string?)r,
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => (string?)a[0],
        JsonValue v => v.ToString(),
        _ => null,
    };

    /// <summary>A list property's items; CloudFormation also accepts a single value where a list is expected.</summary>
    public static IEnumerable<JsonNode?> Items(JsonNode? node) => node switch
    {
        JsonArray a => a.AsEnumerable(),
        null => Array.Empty<JsonNode?>(),
        _ => new[] { node },
    };
}
