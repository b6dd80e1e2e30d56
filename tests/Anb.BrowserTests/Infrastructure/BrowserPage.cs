using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Anb.BrowserTests.Infrastructure;

/// <summary>A tab of the web page, with the console errors it logged (a CSP violation is one).</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly List<string> errors = [];

    public BrowserPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }

    public ILocator Main => Page.Locator("main");

    public ILocator Heading => Page.Locator("main h1");

    /// <summary>Opens <paramref name="hash"/> (e.g. <c>#/rankings</c>) and waits for its view.</summary>
    public async Task GotoAsync(string hash)
    {
        if (Page.Url.StartsWith("http", StringComparison.Ordinal) && new Uri(Page.Url).AbsolutePath == "/")
        {
            await Page.EvaluateAsync("h => { location.hash = h; }", hash);
        }
        else
        {
            await Page.GotoAsync("/" + hash);
        }

        await Assertions.Expect(Page.Locator("main .view")).ToBeVisibleAsync();
    }

    /// <summary>Fills the upload view's form with <paramref name="title"/> and <paramref name="file"/> and sends it.</summary>
    public async Task UploadAsync(string title, string file)
    {
        await Page.GetByLabel("Título").FillAsync(title);
        await Page.GetByLabel("Video (MP4)").SetInputFilesAsync(file);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Subir video" }).ClickAsync();
    }

    /// <summary>The serious and critical axe violations of the current view, one line each.</summary>
    public async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync()
    {
        var result = await Page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
    }

    public async ValueTask DisposeAsync() => await Page.Context.DisposeAsync();

    /// <summary>No script error and no blocked resource (CSP) so far.</summary>
    public void AssertNoConsoleErrors() =>
        Assert.True(ConsoleErrors.Count == 0, "Console errors:\n" + string.Join('\n', ConsoleErrors));
}
