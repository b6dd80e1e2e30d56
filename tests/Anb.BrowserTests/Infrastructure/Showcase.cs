using Anb.Tests.Shared;

namespace Anb.BrowserTests.Infrastructure;

/// <summary>
/// The full stack (API, worker, PostgreSQL, Chromium) with a scene made through the REST API: two players of
/// Bogotá and Cali, three processed clips (with posters), a few votes. Shared by the classes of its collection.
/// </summary>
public sealed class Showcase : IAsyncLifetime
{
    public WebStackWithWorker Stack { get; } = new();

    /// <summary>Ana Gómez of Bogotá: her token and her two processed clips (the first has one vote).</summary>
    public string AnaToken { get; private set; } = "";

    public string AnaClip { get; private set; } = "";

    public string AnaSecondClip { get; private set; } = "";

    /// <summary>Luis Pérez of Cali: his token and his processed clip (three votes).</summary>
    public string LuisToken { get; private set; } = "";

    public string LuisClip { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        using var api = Stack.Api;
        AnaToken = await api.PlayerAsync("Ana", "Gómez", "Bogotá");
        LuisToken = await api.PlayerAsync("Luis", "Pérez", "Cali");
        var clip = await VideoFixtures.Mp4Async(1920, 1080, 21);
        AnaClip = await api.UploadAsync(AnaToken, clip, "Triple sobre la bocina");
        AnaSecondClip = await api.UploadAsync(AnaToken, clip, "Bloqueo en la final");
        LuisClip = await api.UploadAsync(LuisToken, clip, "Clavada en contraataque");
        foreach (var (token, id) in new[] { (AnaToken, AnaClip), (AnaToken, AnaSecondClip), (LuisToken, LuisClip) })
        {
            await api.WaitProcessedAsync(token, id, () => Stack.WorkerOutput);
        }

        var fans = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => api.PlayerAsync("Fan", $"N{i}", "Cali")));
        foreach (var fan in fans)
        {
            await api.VoteAsync(fan, LuisClip);
        }

        await api.VoteAsync(fans[0], AnaClip);
    }

    public Task DisposeAsync() => Stack.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ShowcaseCollection : ICollectionFixture<Showcase>
{
    public const string Name = "showcase";
}
