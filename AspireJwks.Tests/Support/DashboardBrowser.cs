using Microsoft.Playwright;

namespace AspireJwks.Tests.Support;

/// <summary>
/// A headless Chromium driven by Playwright; <see cref="ChromiumExecutable"/> finds or obtains it.
/// </summary>
public static class DashboardBrowser
{
    /// <summary>A browser page logged into the dashboard with its browser token, as a developer following the printed link would be.</summary>
    public static async Task<DashboardPage> OpenLoggedInAsync(Uri dashboard, string browserToken)
    {
        var (playwright, browser) = await LaunchAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        await page.GotoAsync(new Uri(dashboard, $"/login?t={browserToken}").ToString());
        return new DashboardPage(playwright, browser, page, dashboard);
    }

    private static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executablePath = await ChromiumExecutable.GetPathAsync();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executablePath,
            Headless = true,
            // --no-sandbox: tests run as root in a container, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots land: the test output folder, never the source tree.</summary>
    public static string ScreenshotPath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "screenshots", name);
}

public sealed record DashboardPage(IPlaywright Playwright, IBrowser Browser, IPage Page, Uri Dashboard) : IAsyncDisposable
{
    public Task GoToAsync(string path) => Page.GotoAsync(new Uri(Dashboard, path).ToString());

    /// <summary>
    /// Clicks <paramref name="link"/> until the page's address matches <paramref name="address"/>.
    /// The dashboard (Blazor) shows a page before its interactive connection is up, and a click in
    /// that moment does nothing; on a loaded machine that moment lasts seconds.
    /// </summary>
    public async Task ClickUntilAtAsync(ILocator link, System.Text.RegularExpressions.Regex address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await link.ClickAsync(new() { Timeout = 30_000 });
            try
            {
                await Page.WaitForURLAsync(address, new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Not navigated: the click came before the page was interactive. Again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
