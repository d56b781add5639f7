using Microsoft.Playwright;

namespace AspireProber.Dashboard.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright's bundled driver (its own node, shipped in the NuGet package; no browser
/// download). One browser, context and page per test; everything is closed on dispose, also when the test failed.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>Where screenshots go: bin/{Configuration}/net10.0/screenshots/ of this test project.</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
        Page = page;
    }

    /// <summary>The page the test drives.</summary>
    public IPage Page { get; }

    /// <summary>Launches chromium headless with a fresh context whose base URL is <paramref name="baseUrl"/>.</summary>
    public static async Task<BrowserSession> StartAsync(Uri baseUrl)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium (.ci/install-peers.sh does).");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(15_000);
            var page = await context.NewPageAsync();
            return new BrowserSession(playwright, browser, context, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves a full-page screenshot as screenshots/{name}.png.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Marks the current document, so a test can later tell that the page was not reloaded.</summary>
    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__notReloaded = true; }");

    /// <summary>Whether the document marked by <see cref="MarkDocumentAsync"/> is still the one shown.</summary>
    public Task<bool> IsSameDocumentAsync() => Page.EvaluateAsync<bool>("() => window.__notReloaded === true");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync();
            await _browser.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
