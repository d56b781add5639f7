using AspireProber.Dashboard.Authentication;

namespace AspireProber.Dashboard.Tests.Ui;

/// <summary>The token itself: generation when none is configured, and what counts as a match.</summary>
public sealed class BrowserTokenTests
{
    [Fact]
    public void A_configured_token_matches_only_itself()
    {
        var token = new BrowserToken(new FrontendOptions { BrowserToken = "secret-1" });

        Assert.False(token.Generated);
        Assert.True(token.Matches("secret-1"));
        Assert.False(token.Matches("secret-2"));
        Assert.False(token.Matches("secret-1 "));
        Assert.False(token.Matches(""));
        Assert.False(token.Matches(null));
        Assert.Equal("http://127.0.0.1:1/login?t=secret-1", token.LoginUrl("http://127.0.0.1:1/"));
    }

    [Fact]
    public void Without_a_configured_token_each_run_generates_a_different_one()
    {
        var first = new BrowserToken(new FrontendOptions());
        var second = new BrowserToken(new FrontendOptions());

        Assert.True(first.Generated);
        Assert.Equal(32, first.Value.Length);
        Assert.NotEqual(first.Value, second.Value);
        Assert.True(first.Matches(first.Value));
    }

    [Fact]
    public void Unsecured_mode_accepts_no_token_at_all()
    {
        var token = new BrowserToken(new FrontendOptions { AuthMode = FrontendAuthMode.Unsecured });

        Assert.False(token.Generated);
        Assert.False(token.Matches(""));
    }
}
