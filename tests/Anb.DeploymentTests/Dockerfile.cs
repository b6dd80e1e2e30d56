using System.Text;

namespace Anb.DeploymentTests;

internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword);

    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();
}

/// <summary>A small Dockerfile reader: instructions (continuation lines joined, comments dropped) split into stages.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"{Path} has no stage named {name}");

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        string? baseImage = null, name = null;
        foreach (var instruction in Instructions(File.ReadAllLines(path)))
        {
            if (instruction.Keyword == "FROM")
            {
                Close();
                var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                baseImage = parts[0];
                name = parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                current = [];
            }
            else
            {
                (current ?? throw new InvalidDataException($"{path}:{instruction.Line}: instruction before FROM")).Add(instruction);
            }
        }

        Close();
        return new Dockerfile(path, stages);

        void Close()
        {
            if (current is not null)
            {
                stages.Add(new DockerStage(baseImage!, name, current));
            }
        }
    }

    private static IEnumerable<DockerInstruction> Instructions(string[] lines)
    {
        var text = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (text.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (text.Length == 0)
            {
                start = i + 1;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                text.Append(line[..^1].TrimEnd()).Append(' ');
                continue;
            }

            text.Append(line);
            var full = text.ToString();
            text.Clear();
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0
                ? new DockerInstruction(full.ToUpperInvariant(), string.Empty, start)
                : new DockerInstruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim(), start);
        }
    }
}
