using System.Globalization;
using System.Text.Json.Nodes;

namespace Anb.DeploymentTests;

/// <summary>
/// Both services run on a read-only root file system. What they write (the API's upload spool, the
/// worker's transcode scratch, anything else under the temporary folder) goes to a scratch volume
/// the image prepares for its non-root user, and that volume holds what a task keeps at once.
/// </summary>
public sealed class ScratchVolumeTests
{
    private const long FargateDefaultEphemeralBytes = 20L * 1024 * 1024 * 1024;
    private const string Scratch = "/scratch";

    [Theory]
    [InlineData("api.json", "Dockerfile.api")]
    [InlineData("worker.json", "Dockerfile.worker")]
    public void Service_RunsOnAReadOnlyRoot_WithItsTemporaryFilesOnTheScratchVolume(string taskDefinition, string dockerfile)
    {
        var definition = DeploymentFiles.ReadAwsJson("task-definitions", taskDefinition);
        var container = TaskDefinitionTests.Container(taskDefinition);

        Assert.True((bool)container["readonlyRootFilesystem"]!, taskDefinition);
        var mount = Assert.Single(container["mountPoints"]!.AsArray());
        Assert.Equal(Scratch, (string?)mount!["containerPath"]);
        Assert.False((bool?)mount["readOnly"] ?? false);
        var volume = Assert.Single(definition["volumes"]!.AsArray(), v => (string?)v!["name"] == (string?)mount["sourceVolume"]);
        Assert.Null(volume!["efsVolumeConfiguration"]); // a bind mount: the task's own ephemeral storage

        // Path.GetTempPath() follows TMPDIR, and both hosts keep their files under it unless told otherwise.
        Assert.Equal(Scratch, TaskDefinitionTests.EnvironmentValue(container, "TMPDIR"));
        Assert.DoesNotContain(container["environment"]!.AsArray(), e => ((string?)e!["name"])!.EndsWith("__TempPath", StringComparison.Ordinal));

        // ECS copies the image's folder (and its owner) into the volume: the app user must own it.
        var runtime = Dockerfile.Load(RepositoryPaths.InAws(dockerfile)).Final;
        var volumeLine = Assert.Single(runtime.All("VOLUME"));
        Assert.Equal($"""["{Scratch}"]""", volumeLine.Arguments);
        Assert.Contains(
            runtime.All("RUN"),
            r => r.Line < volumeLine.Line && r.Arguments.Contains($"chown \"$APP_UID\" {Scratch}", StringComparison.Ordinal));
    }

    [Fact]
    public void MigrateTask_RunsOnAReadOnlyRoot()
    {
        Assert.True((bool)TaskDefinitionTests.Container("migrate.json")["readonlyRootFilesystem"]!);
    }

    [Fact]
    public void ApiScratch_HoldsEveryUploadInFlightAtItsLargest_TwiceOver()
    {
        var settings = DeploymentFiles.ReadJson(Path.Combine(RepositoryPaths.Root, "Anb.WebApi", "appsettings.json"));
        var container = TaskDefinitionTests.Container("api.json");
        var inFlight = Setting(container, settings, "RateLimits", "UploadsInFlightPerInstance");
        var maxUpload = Setting(container, settings, "Upload", "MaxBytes");

        Assert.True(
            2 * inFlight * maxUpload <= ScratchBytes("api.json"),
            $"{inFlight} uploads of {maxUpload} bytes in flight do not fit twice in the API's scratch volume");
    }

    [Fact]
    public void WorkerScratch_HoldsEveryTranscodeAtOnce_TwiceOver()
    {
        var api = DeploymentFiles.ReadJson(Path.Combine(RepositoryPaths.Root, "Anb.WebApi", "appsettings.json"));
        var worker = DeploymentFiles.ReadJson(Path.Combine(RepositoryPaths.Root, "Anb.WorkerHost", "appsettings.json"));
        var container = TaskDefinitionTests.Container("worker.json");
        var concurrency = Setting(container, worker, "Queue", "Sqs", "MaxConcurrency");
        var maxOriginal = Setting(TaskDefinitionTests.Container("api.json"), api, "Upload", "MaxBytes");

        // A transcode holds its original and an output of at most 30 s at 720p (well under the original's
        // ceiling); count the output as large as the original to stay on the safe side.
        Assert.True(
            2 * concurrency * (2 * maxOriginal) <= ScratchBytes("worker.json"),
            $"{concurrency} transcodes of originals up to {maxOriginal} bytes do not fit twice in the worker's scratch volume");
    }

    private static long ScratchBytes(string taskDefinition)
    {
        var size = DeploymentFiles.ReadAwsJson("task-definitions", taskDefinition)["ephemeralStorage"]?["sizeInGiB"];
        return size is null ? FargateDefaultEphemeralBytes : (long)size * 1024 * 1024 * 1024;
    }

    /// <summary>A setting as the task sets it, else the host's default.</summary>
    private static long Setting(JsonObject container, JsonObject appsettings, params string[] path)
    {
        var variable = string.Join("__", path);
        var fromTask = container["environment"]!.AsArray().FirstOrDefault(e => (string?)e!["name"] == variable);
        if (fromTask is not null)
        {
            return long.Parse((string)fromTask["value"]!, CultureInfo.InvariantCulture);
        }

        JsonNode? node = appsettings;
        foreach (var key in path)
        {
            node = node?[key];
        }

        return (long?)node ?? throw new KeyNotFoundException(string.Join(':', path));
    }
}
