using AspireProber.ProbeRunner.Backpressure;
using AspireProber.ProbeRunner.Tests.Infrastructure;

namespace AspireProber.ProbeRunner.Tests;

/// <summary>Rates of the readings taken straight from the services: each against the one before it.</summary>
public sealed class FlowRatesTests
{
    private static Dictionary<string, double> Counts(params (string Consumer, double Count)[] counts) =>
        counts.ToDictionary(c => c.Consumer, c => c.Count);

    [Fact]
    public void The_first_reading_has_no_rates_and_the_next_one_divides_the_growth_by_the_time_between()
    {
        var time = new ManualTime();
        var rates = new FlowRates(time);

        var first = Assert.Single(rates.Flows(Counts(("fast", 100)), Counts(("fast", 90))));
        time.Advance(TimeSpan.FromSeconds(2));
        var second = Assert.Single(rates.Flows(Counts(("fast", 130)), Counts(("fast", 100))));

        Assert.Equal(new ConsumerFlow("fast", 100, 90, null, null), first);
        Assert.Equal(new ConsumerFlow("fast", 130, 100, 15, 5), second);
        Assert.Equal(30, second.InFlight);
    }

    [Fact]
    public void A_consumer_new_since_the_previous_reading_or_a_count_that_went_down_has_no_rate()
    {
        var time = new ManualTime();
        var rates = new FlowRates(time);
        rates.Flows(Counts(("fast", 100)), Counts(("fast", 100)));
        time.Advance(TimeSpan.FromSeconds(1));

        var flows = rates.Flows(Counts(("fast", 3), ("slow", 10)), Counts(("fast", 104), ("slow", 8))).ToDictionary(f => f.Consumer);

        // The stock service restarted: its count of sent began again, the runner's did not.
        Assert.Equal((null, 4), (flows["fast"].SentPerSecond, flows["fast"].ReceivedPerSecond));
        Assert.Equal((null, null), (flows["slow"].SentPerSecond, flows["slow"].ReceivedPerSecond));
    }

    [Fact]
    public void A_consumer_missing_from_one_count_has_zero_there_and_a_rate_of_zero()
    {
        var time = new ManualTime();
        var rates = new FlowRates(time);
        rates.Flows(Counts(), Counts(("slow", 5)));
        time.Advance(TimeSpan.FromSeconds(1));

        var slow = Assert.Single(rates.Flows(Counts(), Counts(("slow", 6))));

        // Not yet in the stock service's exposition: it has sent this consumer nothing.
        Assert.Equal(new ConsumerFlow("slow", 0, 6, 0, 1), slow);
    }
}
