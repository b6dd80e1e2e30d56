using System.Reflection;

namespace Anb.ArchitectureTests;

internal static class OptionsConventions
{
    /// <summary>A settings class: named <c>*Options</c> with a <c>SectionName</c> constant.</summary>
    public static bool IsOptionsClass(Type type) =>
        type is { IsClass: true, IsAbstract: false } && type.Name.EndsWith("Options", StringComparison.Ordinal) && SectionName(type) is not null;

    public static string? SectionName(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue() as string;
}
