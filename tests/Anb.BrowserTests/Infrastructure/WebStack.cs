using System.Net;
using System.Net.Sockets;
using Anb.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Anb.BrowserTests.Infrastructure;

/// <summary>
/// The real API on a Kestrel port (a browser needs one) over its own PostgreSQL database, optionally the real
/// worker process with FFmpeg, and headless Chromium; one per test class.
/// </summary>
public class WebStack : IAsyncLifetime
{
    private readonly Dictionary<string, string?> settings = [];

    // Two cores shared with builds and other suites: a view may take more than Playwright's 5 s to show.
    static WebStack() => Assertions.SetDefaultExpectTimeout(20_000);
    private TestDatabase? database;
    private ApiHost? api;
    private WorkerProcess? worker;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public string StorageRoot { get; } = Path.Combine(Path.GetTempPath(), "anb-browser-tests", $"storage-{Guid.NewGuid():N}");

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:41234</c>; signed file links point here too.</summary>
    public string BaseUrl { get; private set; } = "";

    public TestDatabase Database => database ?? throw new InvalidOperationException("Not initialised.");

    public ApiClient Api => new(new HttpClient { BaseAddress = new Uri(BaseUrl) });

    /// <summary>The worker's console output, for failure messages.</summary>
    public string WorkerOutput => worker?.Output ?? "(no worker)";

    /// <summary>Whether this stack runs the worker: without it uploads stay <c>uploaded</c>.</summary>
    protected virtual bool RunsWorker => false;

    public virtual async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        settings["ConnectionStrings:Database"] = database.ConnectionString;
        settings["Storage:Provider"] = "Local";
        settings["Storage:Local:RootPath"] = StorageRoot;
        settings["Storage:Local:PublicBaseUrl"] = BaseUrl;
        settings["Jwt:SigningKey"] = "browser-tests-signing-key-0123456789abcdef";
        settings["Rankings:CacheSeconds"] = "0";
        settings["PublicVideos:CacheSeconds"] = "0"; // a view opened right after a change shows it, as in the other suites
        foreach (var limit in (string[])["SignUpsPerMinute", "LogInsPerMinute", "LogInFreeFailures", "UploadsInFlightPerUser",
            "UploadsPerUserPerHour", "UploadsInFlightPerInstance", "VotesPerUserPerMinute"])
        {
            settings[$"RateLimits:{limit}"] = "100000";
        }

        api = new ApiHost(settings);
        api.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        api.StartServer();
        if (RunsWorker)
        {
            worker = WorkerProcess.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Database"] = database.ConnectionString,
                ["Storage__Provider"] = "Local",
                ["Storage__Local__RootPath"] = StorageRoot,
                ["Queue__Provider"] = "Hangfire",
                ["Transcoder__Preset"] = "ultrafast",
            });
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ANB_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (worker is not null)
        {
            await worker.DisposeAsync();
        }

        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        if (Directory.Exists(StorageRoot))
        {
            Directory.Delete(StorageRoot, recursive: true);
        }
    }

    /// <summary>
    /// A new tab in a fresh browser context (its own sessionStorage) of <paramref name="width"/> CSS pixels,
    /// logged in with <paramref name="token"/> when given, at <paramref name="hash"/> unless null; it records the
    /// console's errors.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(string? hash = "#/", string? token = null, int width = 1280)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 800 },
            Locale = "es-ES",
            BaseURL = BaseUrl,
        });
        if (token is not null)
        {
            await context.AddInitScriptAsync(
                $"if (!sessionStorage.getItem('anb.session')) sessionStorage.setItem('anb.session', JSON.stringify({{ token: '{token}', exp: Date.now() + 3600000 }}));");
        }

        var page = new BrowserPage(await context.NewPageAsync());
        if (hash is not null)
        {
            await page.GotoAsync(hash);
        }

        return page;
    }

    /// <summary>Extra settings for the API host (before <see cref="InitializeAsync"/>).</summary>
    protected void Set(string key, string value) => settings[key] = value;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ApiHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

/// <summary>A <see cref="WebStack"/> with the worker: uploads are transcoded and get their posters.</summary>
public sealed class WebStackWithWorker : WebStack
{
    protected override bool RunsWorker => true;
}
