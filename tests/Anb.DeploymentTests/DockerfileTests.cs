using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Anb.DeploymentTests;

/// <summary>
/// The Dockerfiles follow the official .NET image conventions, and their build stage publishes the host.
/// Docker cannot build here, so the build stage is replayed on the host (see <see cref="BuildStageSimulator"/>)
/// with exactly the RUN dotnet lines of the Dockerfile.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string> Images() => new()
    {
        { "Dockerfile.api", "Anb.WebApi" },
        { "Dockerfile.worker", "Anb.WorkerHost" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_FollowsOfficialDotnetImageConventions(string file, string host)
    {
        var dockerfile = Dockerfile.Load(RepositoryPaths.InAws(file));
        var build = dockerfile.Stage("build");
        var runtime = dockerfile.Final;

        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", runtime.BaseImage);
        Assert.Equal($"{host}/{host}.csproj -c Release -o /app", PublishArguments(build));
        Assert.Equal("/app", runtime.Last("WORKDIR")?.Arguments);
        Assert.Contains(runtime.All("COPY"), c => c.Arguments == "--from=build /app .");
        Assert.Equal($"""["dotnet", "{host}.dll"]""", runtime.Last("ENTRYPOINT")?.Arguments);

        // Non-root: the official images' app user, set after every step that needs root.
        var user = runtime.Last("USER");
        Assert.NotNull(user);
        Assert.Matches(@"^\$\{?APP_UID\}?$", user.Arguments);
        Assert.All(runtime.All("RUN"), run => Assert.True(run.Line < user.Line, $"RUN on line {run.Line} runs after USER"));
        Assert.Equal(user, runtime.Instructions.Where(i => i.Keyword is "USER" or "RUN" or "COPY").Last());
    }

    [Fact]
    public void ApiDockerfile_ListensOn8080()
    {
        var runtime = Dockerfile.Load(RepositoryPaths.InAws("Dockerfile.api")).Final;

        Assert.Contains(runtime.All("ENV"), e => e.Arguments == "ASPNETCORE_HTTP_PORTS=8080");
        Assert.Contains(runtime.All("EXPOSE"), e => e.Arguments == "8080");
    }

    [Fact]
    public void WorkerDockerfile_InstallsFfmpegWithoutRecommendsAndCleansAptLists()
    {
        var runtime = Dockerfile.Load(RepositoryPaths.InAws("Dockerfile.worker")).Final;

        var install = Assert.Single(runtime.All("RUN"), r => r.Arguments.Contains("apt-get install", StringComparison.Ordinal));
        Assert.Matches(@"apt-get update\b", install.Arguments);
        Assert.Matches(@"apt-get install -y --no-install-recommends (\S+ )*ffmpeg\b", install.Arguments);
        Assert.Matches(@"apt-get install -y --no-install-recommends (\S+ )*util-linux\b", install.Arguments); // setpriv: ffmpeg dies with the worker
        Assert.Contains("rm -rf /var/lib/apt/lists/*", install.Arguments, StringComparison.Ordinal);
        Assert.Empty(runtime.All("EXPOSE"));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Dockerfile_BuildStagePublishesTheHost(string file, string host)
    {
        var dockerfile = Dockerfile.Load(RepositoryPaths.InAws(file));
        var root = Directory.CreateTempSubdirectory("anb-docker-build-").FullName;
        try
        {
            var simulator = new BuildStageSimulator(dockerfile, root);

            await simulator.RunAsync("build");

            Assert.Contains(simulator.Runs, r => r.Instruction.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
            var app = simulator.HostPath("/app");
            Assert.True(File.Exists(Path.Combine(app, $"{host}.dll")), $"{host}.dll not published to /app");
            Assert.True(File.Exists(Path.Combine(app, "appsettings.json")), "appsettings.json not published");

            // Both hosts need the ASP.NET Core shared framework, which is why both run on the aspnet image.
            var runtimeConfig = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(app, $"{host}.runtimeconfig.json")))!;
            var frameworks = runtimeConfig["runtimeOptions"]!["frameworks"]?.AsArray().Select(f => (string?)f!["name"])
                ?? [(string?)runtimeConfig["runtimeOptions"]!["framework"]!["name"]];
            Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Dockerfile.api")]
    [InlineData("Dockerfile.worker")]
    public void DockerIgnore_KeepsHostBuildOutputOutOfTheContext(string file)
    {
        var ignore = DockerIgnore.ForDockerfile(RepositoryPaths.InAws(file));

        Assert.True(ignore.IsExcluded("Anb.WebApi/obj/project.assets.json"));
        Assert.True(ignore.IsExcluded("Anb.Infrastructure/bin/Release/net10.0/Anb.Infrastructure.dll"));
        Assert.True(ignore.IsExcluded(".git/HEAD"));
        Assert.False(ignore.IsExcluded("Anb.WebApi/Program.cs"));
        Assert.False(ignore.IsExcluded("Directory.Packages.props"));
    }

    [GeneratedRegex(@"^dotnet publish (?<args>.+)$")]
    private static partial Regex PublishLine();

    private static string PublishArguments(DockerStage build) =>
        build.All("RUN").Select(r => PublishLine().Match(r.Arguments)).Single(m => m.Success).Groups["args"].Value;
}
