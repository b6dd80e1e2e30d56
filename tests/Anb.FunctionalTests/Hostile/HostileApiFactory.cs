using System.Net.Http.Headers;
using Anb.Domain.Videos;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Hostile;

/// <summary>The API with a small upload limit (so a body over it is quick to send) and its own spool, plus the players the cases act as.</summary>
public sealed class HostileApiFactory : AnbApiFactory
{
    /// <summary>Small enough to send a body over it quickly; larger than the fixture clip and than a million 8-byte boxes.</summary>
    public const long UploadMaxBytes = 32 * 1024 * 1024;

    private readonly SemaphoreSlim gate = new(1, 1);
    private HostileScene? scene;

    public string SpoolFolder { get; } = Path.Combine(Path.GetTempPath(), "anb-tests", $"spool-{Guid.NewGuid():N}");

    /// <summary>Two players (an owner of videos and a voter), made once for the class.</summary>
    public async Task<HostileScene> SceneAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (scene is null)
            {
                var anonymous = CreateClient();
                var (owner, ownerId) = await anonymous.SignUpAndLogInAsync(CreateClient, firstName: "Dueño");
                var (voter, _) = await anonymous.SignUpAndLogInAsync(CreateClient, firstName: "Votante");
                scene = new HostileScene(this, owner.DefaultRequestHeaders.Authorization!, ownerId, voter.DefaultRequestHeaders.Authorization!);
            }

            return scene;
        }
        finally
        {
            gate.Release();
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(SpoolFolder))
        {
            Directory.Delete(SpoolFolder, recursive: true);
        }
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Upload:TempPath", SpoolFolder),
        new("Upload:MaxBytes", UploadMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>Who the cases act as, and videos seeded in a chosen state.</summary>
public sealed record HostileScene(HostileApiFactory Factory, AuthenticationHeaderValue Owner, Guid OwnerId, AuthenticationHeaderValue Voter)
{
    public Task<Guid> VideoAsync(VideoStatus status) => Factory.VideoAsync(OwnerId, status);
}
