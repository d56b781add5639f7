using Microsoft.Playwright;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// Debian's chromium driven by Playwright's driver (shipped in the NuGet package; no browser download). One browser,
/// context and page per test; all closed on dispose, also when the test failed.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>Where screenshots go: bin/{Configuration}/net10.0/screenshots/ of this test project.</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    /// <summary>The page the test drives.</summary>
    public IPage Page { get; }

    /// <summary>Launches headless chromium with a fresh context (no cookies) whose base URL is <paramref name="baseUrl"/>.</summary>
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
                // Root in CI has no sandbox; the rest keeps chromium from reaching the network on its own.
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseUrl.ToString(),
                ViewportSize = new() { Width = 1440, Height = 900 },
            });
            // The dashboard is a Blazor Server app: its first render waits for the circuit, slow on a loaded machine.
            // Actions wait 30 s for it, and so do Expect(...) assertions, whose own default is 5 s (seen too short in CI).
            context.SetDefaultTimeout(30_000);
            Assertions.SetDefaultExpectTimeout(30_000);
            return new BrowserSession(playwright, browser, await context.NewPageAsync());
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves a screenshot of the viewport as screenshots/{name}.png.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png") });
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _browser.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
