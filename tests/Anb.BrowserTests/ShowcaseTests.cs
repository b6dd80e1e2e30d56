using System.Text.RegularExpressions;
using Anb.BrowserTests.Infrastructure;
using Anb.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Anb.BrowserTests;

/// <summary>The public side and the whole journey in Chromium, with the real worker transcoding uploads.</summary>
[Collection(ShowcaseCollection.Name)]
public sealed class ShowcaseTests(Showcase showcase)
{
    private WebStack Stack => showcase.Stack;

    [Fact]
    public async Task Gallery_ShowsProcessedClipsWithPostersByVotes_AndFiltersByCity()
    {
        await using var tab = await Stack.OpenAsync();

        var cards = tab.Page.Locator(".card");
        await Expect(cards.First).ToContainTextAsync("Clavada en contraataque");
        await Expect(cards.First).ToContainTextAsync("Luis Pérez · Cali");
        await Expect(cards.First).ToContainTextAsync("3 votos");
        var poster = cards.First.Locator("img");
        await Expect(poster).ToHaveAttributeAsync("src", new Regex("^" + Regex.Escape(Stack.BaseUrl) + "/files/"));
        await Expect(poster).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await poster.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the poster did not load");

        await tab.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Ciudad" }).FillAsync("bogota");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Filtrar" }).ClickAsync();
        await Expect(tab.Heading).ToHaveTextAsync("Videos de bogota");
        await Expect(cards).ToHaveCountAsync(2);
        // Both of Ana's clips; their order is left out, as another test of this collection votes for one of them.
        await Expect(cards.Filter(new() { HasText = "Triple sobre la bocina" })).ToHaveCountAsync(1);
        await Expect(cards.Filter(new() { HasText = "Bloqueo en la final" })).ToHaveCountAsync(1);
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Gallery_More_AndRankings_PageByPage()
    {
        await SeedPlayersWithACopyAsync("Tunja", 13);
        await using var tab = await Stack.OpenAsync("#/?city=Tunja");

        var cards = tab.Page.Locator(".card");
        await Expect(cards).ToHaveCountAsync(12);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Ver más videos" }).ClickAsync();
        await Expect(cards).ToHaveCountAsync(13);
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Ver más videos" })).ToBeHiddenAsync();

        await tab.GotoAsync("#/rankings?city=Tunja");
        var rows = tab.Page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Anterior" })).ToHaveCountAsync(0);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Siguiente" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("11");
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Siguiente" })).ToHaveCountAsync(0);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Anterior" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
    }

    [Fact]
    public async Task SharedAddress_OpensTheClipLoggedOut()
    {
        await using var tab = await Stack.OpenAsync($"#/videos/{showcase.LuisClip}");

        await Expect(tab.Heading).ToHaveTextAsync("Clavada en contraataque");
        await Expect(tab.Main).ToContainTextAsync("Luis Pérez · Cali");
        await Expect(tab.Main.Locator(".count")).ToHaveTextAsync("3 votos");
        var player = tab.Main.Locator("video");
        await Expect(player).ToHaveAttributeAsync("src", new Regex("^" + Regex.Escape(Stack.BaseUrl) + "/files/"));
        await player.EvaluateAsync("v => new Promise((ok, fail) => { v.onloadedmetadata = ok; v.onerror = fail; v.load(); })");
        Assert.InRange(await player.EvaluateAsync<double>("v => v.duration"), 25.5, 27.5);
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Inicia sesión para votar" })).ToBeVisibleAsync();
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task SecondUser_Votes_CountAndRankingsChange_AndASecondVoteIsRefused()
    {
        var fan = await Stack.Api.PlayerAsync("Fan", "Tres", "Bogotá");
        await using var tab = await Stack.OpenAsync($"#/videos/{showcase.AnaSecondClip}", fan);
        await using var stale = await Stack.OpenAsync($"#/videos/{showcase.AnaSecondClip}", fan);
        await using var rankings = await Stack.OpenAsync("#/rankings?city=Bogot%C3%A1");
        var anaRow = rankings.Page.Locator("tbody tr").Filter(new() { HasText = "Ana Gómez" });
        var before = int.Parse((await anaRow.Locator("td").Nth(3).TextContentAsync())!.Split(' ')[0]);

        var vote = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Votar por este video" });
        await Expect(tab.Main.Locator(".count")).ToHaveTextAsync("0 votos");
        await vote.ClickAsync();
        await Expect(tab.Main.Locator(".count")).ToHaveTextAsync("1 voto");
        var voted = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Ya votaste por este video" });
        await Expect(voted).ToBeDisabledAsync();
        await Expect(voted).ToHaveAttributeAsync("aria-pressed", "true");

        await tab.Page.ReloadAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Ya votaste por este video" })).ToBeDisabledAsync();

        await stale.Page.GetByRole(AriaRole.Button, new() { Name = "Votar por este video" }).ClickAsync();
        await Expect(stale.Main.Locator("[role=alert]")).ToHaveTextAsync("Ya has votado por este video.");
        await Expect(stale.Page.GetByRole(AriaRole.Button, new() { Name = "Ya votaste por este video" })).ToBeDisabledAsync();

        await rankings.Page.ReloadAsync();
        await Expect(anaRow.Locator("td").Nth(3)).ToHaveTextAsync($"{before + 1} votos");
    }

    [Fact]
    public async Task Rankings_ListPlayersByVotes_AndFilterByCity()
    {
        await using var tab = await Stack.OpenAsync("#/rankings");

        var rows = tab.Page.Locator("tbody tr");
        await Expect(rows.First).ToContainTextAsync("Luis Pérez");
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("1");
        await tab.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Ciudad" }).FillAsync("cali");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Filtrar" }).ClickAsync();
        await Expect(tab.Heading).ToHaveTextAsync("Ranking de cali");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Luis Pérez");
        await Expect(rows.First).ToContainTextAsync("3 votos");
    }

    [Fact]
    public async Task Upload_WatchTheProgress_ThenTheClipIsInTheGalleryWithItsPoster()
    {
        var token = await Stack.Api.PlayerAsync("Nico", "Lara", "Pasto");
        await using var tab = await Stack.OpenAsync("#/upload", token);
        await tab.UploadAsync("Robo y bandeja", await VideoFixtures.Mp4Async(1920, 1080, 45));

        await Expect(tab.Heading).ToHaveTextAsync("Mis videos");
        var item = tab.Page.Locator(".item").Filter(new() { HasText = "Robo y bandeja" });
        await Expect(item.Locator("progress")).ToBeVisibleAsync();
        await tab.Page.EvaluateAsync(
            """
            () => {
              window.__percents = [];
              const item = [...document.querySelectorAll('.item')].find(i => i.textContent.includes('Robo y bandeja'));
              new MutationObserver(() => window.__percents.push(item.querySelector('.percent').textContent))
                .observe(item, { subtree: true, childList: true, characterData: true });
            }
            """);
        await Expect(item.Locator(".state")).ToHaveTextAsync("Publicado", new() { Timeout = 120_000 });
        await Expect(item.Locator("progress")).ToBeHiddenAsync();
        var percents = await tab.Page.EvaluateAsync<string[]>("window.__percents");
        Assert.Contains(percents, p => Regex.IsMatch(p, @"^\d+ %$"));

        await item.GetByRole(AriaRole.Link, new() { Name = "Publicado" }).ClickAsync();
        await Expect(tab.Heading).ToHaveTextAsync("Robo y bandeja");
        await Expect(tab.Main.Locator("video")).ToHaveAttributeAsync("poster", new Regex("/files/"));
        await tab.GotoAsync("#/?city=Pasto");
        var card = tab.Page.Locator(".card").Filter(new() { HasText = "Robo y bandeja" });
        await Expect(card.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await card.Locator("img").EvaluateAsync<int>("img => img.naturalWidth") > 0, "the poster did not load");
        await Expect(item).ToHaveCountAsync(0);
        tab.AssertNoConsoleErrors();
    }

    /// <summary><paramref name="count"/> new players of <paramref name="city"/>, each owning a public copy of one of Ana's clips.</summary>
    private async Task SeedPlayersWithACopyAsync(string city, int count)
    {
        using var api = Stack.Api;
        var players = await Task.WhenAll(Enumerable.Range(1, count).Select(i => api.SignUpAsync("Jugador", $"N{i}", city)));
        var owners = string.Join(',', players.Select(p => $"'{p.UserId}'"));
        await Stack.Database.ExecuteAsync(
            $"""
            CREATE TEMP TABLE copies AS SELECT v.*, o.owner FROM videos v, unnest(ARRAY[{owners}]::uuid[]) AS o(owner) WHERE v.id = '{showcase.AnaSecondClip}';
            UPDATE copies SET id = gen_random_uuid(), owner_id = owner, vote_count = 0;
            ALTER TABLE copies DROP COLUMN owner;
            INSERT INTO videos SELECT * FROM copies;
            """);
    }
}
