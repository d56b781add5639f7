using AspireProber.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService.Tests;

/// <summary>Settings checked at start, and the bound on consumer labels.</summary>
public sealed class StockOptionsTests
{
    [Fact]
    public void Defaults_with_the_default_tickers_are_valid()
    {
        var options = new StockOptions { Tickers = [.. StockOptions.DefaultTickers] };

        Assert.True(new StockOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Each_bad_setting_is_reported()
    {
        var options = new StockOptions { Tickers = ["MSFT", "msft", "MSFT"], UpdatesPerSecond = double.NaN, Capacity = 0, MaxConsumerLabels = 0 };

        var result = new StockOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("'msft'"));
    }

    [Fact]
    public void Server_refuses_to_build_with_bad_settings()
    {
        var error = Assert.Throws<OptionsValidationException>(() => StockStreamApp.Create(["--Stock:Capacity=-1"]));

        Assert.Contains("Stock:Capacity", error.Message);
    }

    [Fact]
    public void Consumer_labels_are_bounded_then_shared_as_other()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = Options.Create(new StockOptions { Tickers = ["MSFT"], MaxConsumerLabels = 2 });
        var metrics = new StockMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new StockLog(options, TimeProvider.System), new ConsumerStreams(options), options);

        Assert.Equal("fast", metrics.ConsumerLabel("fast"));
        Assert.Equal("slow", metrics.ConsumerLabel("slow"));
        Assert.Equal(BoundedLabel.Other, metrics.ConsumerLabel("third"));
        Assert.Equal(BoundedLabel.Other, metrics.ConsumerLabel("fourth"));
        Assert.Equal("fast", metrics.ConsumerLabel("fast"));
    }
}
