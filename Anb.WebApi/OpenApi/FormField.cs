namespace Anb.WebApi.OpenApi;

/// <summary>One part of a multipart/form-data body: a file (binary) or a text field.</summary>
internal sealed record FormField(string Name, string Description, bool IsFile = false, int? MaxLength = null, string? Example = null);
