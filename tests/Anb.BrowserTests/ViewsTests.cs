using System.Globalization;
using Anb.BrowserTests.Infrastructure;
using Anb.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Anb.BrowserTests;

/// <summary>
/// Every view: axe finds no serious or critical violation at 1280 and 390 px, and a screenshot of each is
/// written (to <c>ANB_SCREENSHOTS_DIR</c> when set: <c>scripts/screenshots.sh</c>); the first view's weight.
/// </summary>
[Collection(ShowcaseCollection.Name)]
public sealed class ViewsTests(Showcase showcase)
{
    /// <summary>The page's own HTML, CSS and JS, uncompressed (issue #12: at most 60 KB).</summary>
    private const int MaxPageBytes = 60 * 1024;

    /// <summary>Requests of the first view besides posters and videos, the API's included.</summary>
    private const int MaxFirstViewRequests = 6;

    public static TheoryData<string, string, string, bool> Views() => new()
    {
        { "gallery", "#/", ".card", false },
        { "clip", "#/videos/{clip}", "video", true },
        { "rankings", "#/rankings", "tbody tr", false },
        { "login", "#/login", "form", false },
        { "signup", "#/signup", "form", false },
        { "my-videos", "#/mine", ".item", true },
        { "upload", "#/upload", "form", true },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task View_HasNoSeriousAccessibilityViolation_AtDesktopAndPhoneWidth(string name, string hash, string ready, bool signedIn)
    {
        var folder = Environment.GetEnvironmentVariable("ANB_SCREENSHOTS_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(showcase.Stack.StorageRoot, "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var width in (int[])[1280, 390])
        {
            await using var tab = await showcase.Stack.OpenAsync(
                hash.Replace("{clip}", showcase.LuisClip, StringComparison.Ordinal), signedIn ? showcase.AnaToken : null, width);
            await Expect(tab.Main.Locator(ready).First).ToBeVisibleAsync();
            await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            var violations = await tab.SeriousAccessibilityViolationsAsync();

            Assert.True(violations.Count == 0, $"{name} at {width} px:\n" + string.Join('\n', violations));
            var scrollWidth = await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"{name} scrolls sideways at {width} px ({scrollWidth} px wide)");
            tab.AssertNoConsoleErrors();
            var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{name}-{width}.png"));
            await tab.Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            Assert.True(new FileInfo(file).Length > 1000);
        }
    }

    [Fact]
    public async Task View_WorksWithTheKeyboardAlone()
    {
        await using var tab = await showcase.Stack.OpenAsync("#/");
        await Expect(tab.Main.Locator(".card").First).ToBeVisibleAsync();

        await tab.Page.Keyboard.PressAsync("Tab");
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Saltar al contenido" })).ToBeFocusedAsync();
        for (var i = 0; i < 30 && !await tab.Page.EvaluateAsync<bool>("!!document.activeElement.closest('.card')"); i++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
        }

        await tab.Page.Keyboard.PressAsync("Enter");
        await Expect(tab.Main.Locator("video")).ToBeVisibleAsync();
        await Expect(tab.Heading).ToBeFocusedAsync();
    }

    [Fact]
    public async Task FirstView_IsSmall_InFewRequests_CompressedAndCached()
    {
        await using var tab = await showcase.Stack.OpenAsync(hash: null);
        var requests = new List<IRequest>();
        tab.Page.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(request);
            }
        };
        await tab.Page.GotoAsync("/");
        await Expect(tab.Main.Locator(".card").First).ToBeVisibleAsync();
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var own = requests.Where(r => r.ResourceType is not ("image" or "media")).ToList();
        long firstViewBytes = 0, transferred = 0;
        foreach (var request in own.Where(r => r.ResourceType is "document" or "stylesheet" or "script"))
        {
            var response = (await request.ResponseAsync())!;
            Assert.Equal(200, response.Status);
            Assert.NotNull(await response.HeaderValueAsync("etag"));
            Assert.Equal("gzip", await response.HeaderValueAsync("content-encoding"));
            firstViewBytes += (await response.BodyAsync()).Length;
            transferred += long.Parse((await response.HeaderValueAsync("content-length"))!, CultureInfo.InvariantCulture);
        }

        var allBytes = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "Anb.WebApi", "wwwroot"), "*", SearchOption.AllDirectories)
            .Sum(f => new FileInfo(f).Length);
        var urls = string.Join(' ', own.Select(r => new Uri(r.Url).PathAndQuery));
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{own.Count} requests ({urls}); first view's files {firstViewBytes} B ({transferred} B transferred); all the page's files {allBytes} B");
        if (Environment.GetEnvironmentVariable("ANB_PAGE_WEIGHT_OUT") is { Length: > 0 } output)
        {
            await File.WriteAllTextAsync(output, string.Create(
                CultureInfo.InvariantCulture,
                $"requests={own.Count}\nfirst_view_bytes={firstViewBytes}\ntransferred={transferred}\nall_bytes={allBytes}\nurls=\"{urls}\"\n"));
        }

        Assert.True(own.Count <= MaxFirstViewRequests, line);
        Assert.True(allBytes <= MaxPageBytes, line);
        Assert.True(transferred < firstViewBytes, line);
    }

    [Fact]
    public async Task ContentSecurityPolicy_IsOnThePageOnly_NotOnTheApiOrItsDocs()
    {
        using var http = new HttpClient { BaseAddress = new Uri(showcase.Stack.BaseUrl) };

        var page = await http.GetAsync("/");
        var docs = await http.GetAsync("/docs/");
        var json = await http.GetAsync("/api/public/videos");

        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.True(docs.IsSuccessStatusCode);
        Assert.False(docs.Headers.Contains("Content-Security-Policy"));
        Assert.False(json.Headers.Contains("Content-Security-Policy"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html);
    }
}
