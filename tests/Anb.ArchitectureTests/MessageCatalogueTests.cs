using System.Reflection;
using System.Text.RegularExpressions;
using Anb.Application.Common.Messages;
using Anb.Domain.Common;

namespace Anb.ArchitectureTests;

/// <summary>
/// Every client message is written once, in <see cref="ClientMessages"/>. Read from the sources, not the
/// assemblies: the compiler copies a constant into every place that uses it.
/// </summary>
public sealed partial class MessageCatalogueTests
{
    private static readonly string CatalogueFile = Path.Combine("Anb.Application", "Common", "Messages", "ClientMessages.cs");

    [Fact]
    public void ProductionSources_HaveNoMessageTextOutsideTheCatalogue()
    {
        var constants = CatalogueConstants();
        var stray = ProductionSources()
            .Where(f => !f.EndsWith(CatalogueFile, StringComparison.Ordinal))
            .SelectMany(f => StringLiterals(f).Select(text => (File: Path.GetRelativePath(RepositoryRoot(), f), Text: text)))
            .Where(l => constants.Contains(l.Text) || SpanishText().IsMatch(l.Text))
            .Select(l => $"{l.File}: \"{l.Text}\"")
            .ToList();

        Assert.True(stray.Count == 0, "Client messages belong in ClientMessages: " + string.Join("; ", stray));
    }

    [Fact]
    public void MessageRule_SeesTheCatalogueItself()
    {
        var catalogue = Path.Combine(RepositoryRoot(), CatalogueFile);

        Assert.Contains(StringLiterals(catalogue), SpanishText().IsMatch);
        Assert.Contains(catalogue, ProductionSources());
    }

    [Fact]
    public void EveryDomainRule_HasAClientMessage()
    {
        foreach (var rule in Enum.GetValues<DomainRule>())
        {
            Assert.False(string.IsNullOrWhiteSpace(ClientMessages.For(rule)));
        }
    }

    private static HashSet<string> CatalogueConstants() =>
        typeof(ClientMessages).GetNestedTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> ProductionSources()
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateDirectories(RepositoryRoot(), "Anb.*")
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !f.Contains($"{separator}Migrations{separator}", StringComparison.Ordinal));
    }

    // Comment lines are skipped: an example in a comment is no message.
    private static IEnumerable<string> StringLiterals(string file) =>
        File.ReadLines(file)
            .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(line => StringLiteral().Matches(line).Select(m => m.Groups["text"].Value));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Anb.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Anb.sln not found above the test folder.");
    }

    [GeneratedRegex(@"(?<!')""(?<text>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex StringLiteral();

    /// <summary>A Spanish sentence: accented letters and a full stop, or the way the contract's sentences start (names and cities in examples are no messages).</summary>
    [GeneratedRegex(@"([áéíóúñÁÉÍÓÚÑ¿¡].*\.\s*$)|^(El|La|Las|Los|Ya|Se|Voto|Usuario|Credenciales|Par[aá]metro) ")]
    private static partial Regex SpanishText();
}
