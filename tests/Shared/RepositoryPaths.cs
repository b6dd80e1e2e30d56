namespace Anb.Tests.Shared;

/// <summary>Locates the repository root (the folder holding <c>Anb.sln</c>) from the test binaries.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Aws => Path.Combine(Root, "aws");

    public static string InAws(params string[] parts) => Path.Combine([Aws, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Anb.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Anb.sln not found above {AppContext.BaseDirectory}.");
    }
}
