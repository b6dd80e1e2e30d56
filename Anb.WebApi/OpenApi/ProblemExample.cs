namespace Anb.WebApi.OpenApi;

/// <summary>One named example of an error answer: its <c>detail</c> and, for validation failures, its <c>errors</c>.</summary>
internal sealed record ProblemExample(string Name, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null);
