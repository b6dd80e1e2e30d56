using System.Text.RegularExpressions;

namespace Anb.DeploymentTests;

/// <summary>
/// Replays a Dockerfile's build stage on this machine, which cannot run docker: the build context is the
/// repository filtered by the Dockerfile's BuildKit ignore file, the container file system is a temporary
/// folder, WORKDIR, ENV and COPY are applied as docker would, and each RUN line (which must be a
/// <c>dotnet</c> command) runs with its container paths mapped into that folder. Anything else fails, so
/// the replay never silently differs from the real build.
/// </summary>
internal sealed class BuildStageSimulator(Dockerfile dockerfile, string fileSystemRoot)
{
    private readonly DockerIgnore _ignore = DockerIgnore.ForDockerfile(dockerfile.Path);
    private readonly Dictionary<string, string?> _environment = ProcessRunner.IsolatedDotnetEnvironment();
    private string _workdir = "/";

    public List<(DockerInstruction Instruction, ProcessResult Result)> Runs { get; } = [];

    /// <summary>The host folder that stands for a container path.</summary>
    public string HostPath(string containerPath) =>
        Path.Combine(fileSystemRoot, ContainerPath(containerPath).TrimStart('/'));

    public async Task RunAsync(string stageName)
    {
        foreach (var instruction in dockerfile.Stage(stageName).Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    _workdir = ContainerPath(instruction.Arguments);
                    Directory.CreateDirectory(HostPath(_workdir));
                    break;
                case "ENV":
                    var (name, value) = Split(instruction.Arguments);
                    _environment[name] = value;
                    break;
                case "COPY":
                    Copy(instruction);
                    break;
                case "RUN":
                    var result = await RunDotnetAsync(instruction);
                    Runs.Add((instruction, result));
                    if (result.ExitCode != 0)
                    {
                        throw new InvalidOperationException($"{Where(instruction)} RUN {instruction.Arguments} failed: {result}");
                    }

                    break;
                default:
                    throw new NotSupportedException($"{Where(instruction)} the build stage replay does not support {instruction.Keyword}");
            }
        }
    }

    private void Copy(DockerInstruction instruction)
    {
        var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p.StartsWith("--", StringComparison.Ordinal)) || parts.Length < 2 || parts.Any(p => p.IndexOfAny(['*', '?', '[']) >= 0))
        {
            throw new NotSupportedException($"{Where(instruction)} unsupported COPY form: {instruction.Arguments}");
        }

        var destination = parts[^1];
        var destinationIsFolder = destination.EndsWith('/') || destination is "." or "./" || parts.Length > 2;
        var target = HostPath(destination.StartsWith('/') ? destination : $"{_workdir}/{destination}");
        foreach (var source in parts[..^1])
        {
            var relative = source.TrimEnd('/');
            relative = relative.StartsWith("./", StringComparison.Ordinal) ? relative[2..] : relative;
            relative = relative is "." or "" ? string.Empty : relative;
            var hostSource = Path.Combine(RepositoryPaths.Root, relative);
            if (Directory.Exists(hostSource))
            {
                CopyFolder(relative, target);
            }
            else if (File.Exists(hostSource) && !_ignore.IsExcluded(relative))
            {
                var file = destinationIsFolder ? Path.Combine(target, Path.GetFileName(relative)) : target;
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.Copy(hostSource, file, overwrite: true);
            }
            else
            {
                throw new FileNotFoundException($"{Where(instruction)} COPY source {source} is not in the build context");
            }
        }
    }

    private void CopyFolder(string relative, string target)
    {
        var root = Path.Combine(RepositoryPaths.Root, relative);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var inContext = Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');
            if (_ignore.IsExcluded(inContext))
            {
                continue;
            }

            var destination = Path.Combine(target, Path.GetRelativePath(root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private async Task<ProcessResult> RunDotnetAsync(DockerInstruction instruction)
    {
        var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0] != "dotnet" || words.Any(w => w.IndexOfAny(['&', '|', ';', '$', '"', '\'', '`', '>', '<']) >= 0))
        {
            throw new NotSupportedException($"{Where(instruction)} only plain 'dotnet ...' RUN lines can be replayed: {instruction.Arguments}");
        }

        var arguments = words[1..].Select(w => w.StartsWith('/') ? HostPath(w) : w);
        return await ProcessRunner.RunAsync(
            "dotnet", arguments, HostPath(_workdir), _environment, TimeSpan.FromMinutes(8));
    }

    private string ContainerPath(string path)
    {
        var combined = path.StartsWith('/') ? path : $"{_workdir.TrimEnd('/')}/{path}";
        var segments = new Stack<string>();
        foreach (var segment in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                segments.TryPop(out _);
            }
            else if (segment != ".")
            {
                segments.Push(segment);
            }
        }

        return "/" + string.Join('/', segments.Reverse());
    }

    private static (string Name, string Value) Split(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || assignment.Contains(' ', StringComparison.Ordinal))
        {
            throw new NotSupportedException($"unsupported ENV form: {assignment}");
        }

        return (assignment[..equals], assignment[(equals + 1)..]);
    }

    private string Where(DockerInstruction instruction) => $"{Path.GetFileName(dockerfile.Path)}:{instruction.Line}:";
}

/// <summary>Docker ignore rules (<c>**</c>, <c>*</c>, <c>?</c>, <c>!</c>); a path is excluded when it or a parent folder is.</summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex Pattern, bool Exclude)> rules) => _rules = rules;

    /// <summary>BuildKit reads <c>&lt;Dockerfile&gt;.dockerignore</c> next to the Dockerfile, else the context's .dockerignore.</summary>
    public static DockerIgnore ForDockerfile(string dockerfile)
    {
        var specific = dockerfile + ".dockerignore";
        var root = Path.Combine(RepositoryPaths.Root, ".dockerignore");
        var file = File.Exists(specific) ? specific : root;
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        return new DockerIgnore([.. lines
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.StartsWith('!') ? (Rule: l[1..], Exclude: false) : (Rule: l, Exclude: true))
            .Select(r => (ToRegex(r.Rule.Trim('/')), r.Exclude))]);
    }

    public bool IsExcluded(string relativePath)
    {
        var segments = relativePath.Split('/');
        for (var i = 1; i <= segments.Length; i++)
        {
            if (Matches(string.Join('/', segments[..i])))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(string path)
    {
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string rule)
    {
        var regex = Regex.Escape(rule)
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"/\*\*", "(/.*)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{regex}$", RegexOptions.CultureInvariant);
    }
}
