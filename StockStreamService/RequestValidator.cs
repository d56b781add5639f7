using System.Text.RegularExpressions;
using AspireProber.Stock.V1;
using AspireProber.ServiceDefaults;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AspireProber.StockStreamService;

/// <summary>
/// Checks requests and rejects bad ones with INVALID_ARGUMENT and a google.rpc.BadRequest naming each field, so a
/// client can tell what to fix without parsing the message.
/// </summary>
public sealed partial class RequestValidator(IOptions<StockOptions> options)
{
    private readonly HashSet<string> _knownTickers = new(options.Value.Tickers, StringComparer.Ordinal);
    private readonly string _knownList = string.Join(", ", options.Value.Tickers);

    /// <summary>Validates a GetUpdates request; returns its ticker filter (null: every ticker).</summary>
    public IReadOnlySet<string>? ValidateGetUpdates(GetUpdatesRequest request)
    {
        var violations = new RequestViolations();
        if (request.Consumer.Length == 0)
        {
            violations.Add("consumer", "required: a name for this consumer's metrics, e.g. \"fast\"");
        }
        else if (!ConsumerPattern().IsMatch(request.Consumer))
        {
            violations.Add("consumer", "must be 1-32 of a-z, 0-9, '_' and '-'");
        }
        // A filter names each known ticker at most once, so a longer list is refused before any item is looked at.
        var unknown = 0;
        if (request.Tickers.Count > _knownTickers.Count)
        {
            violations.Add("tickers", $"lists {request.Tickers.Count} tickers; at most {_knownTickers.Count}, each known ticker once (leave it empty for all)");
        }
        else
        {
            for (var i = 0; i < request.Tickers.Count; i++)
            {
                if (!_knownTickers.Contains(request.Tickers[i]))
                {
                    unknown++;
                    violations.Add($"tickers[{i}]", $"unknown ticker '{TelemetryValues.Bound(request.Tickers[i])}'");
                }
            }
        }
        // The known tickers are named once, not once per unknown one.
        violations.ThrowIfAny(unknown > 0 ? $"Invalid request (known tickers: {_knownList}):" : "Invalid request:");
        return request.Tickers.Count == 0 ? null : request.Tickers.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Validates a Publish request: a known ticker, a positive price, finite numbers.</summary>
    public void ValidatePublish(PublishRequest request)
    {
        var violations = new RequestViolations();
        var update = request.Update;
        if (update is null)
        {
            violations.Add("update", "required");
            violations.ThrowIfAny("Invalid request:");
            return;
        }
        if (update.Ticker.Length == 0)
        {
            violations.Add("update.ticker", "required");
        }
        else if (!_knownTickers.Contains(update.Ticker))
        {
            violations.Add("update.ticker", $"unknown ticker '{TelemetryValues.Bound(update.Ticker)}'; known: {_knownList}");
        }
        if (!double.IsFinite(update.Price) || update.Price <= 0)
        {
            violations.Add("update.price", $"must be a finite number > 0; got {update.Price}");
        }
        RequireFinite(violations, "update.change", update.Change);
        RequireFinite(violations, "update.change_percent", update.ChangePercent);
        // Zero means "not given" for these (proto3 defaults); a negative price or market cap is never right.
        RequireFiniteNonNegative(violations, "update.open_price", update.OpenPrice);
        RequireFiniteNonNegative(violations, "update.high_price", update.HighPrice);
        RequireFiniteNonNegative(violations, "update.low_price", update.LowPrice);
        RequireFiniteNonNegative(violations, "update.market_cap", update.MarketCap);
        if (update.Volume < 0)
        {
            violations.Add("update.volume", $"must be >= 0; got {update.Volume}");
        }
        violations.ThrowIfAny("Invalid request:");
    }

    private static void RequireFinite(RequestViolations violations, string field, double value)
    {
        if (!double.IsFinite(value))
        {
            violations.Add(field, $"must be a finite number; got {value}");
        }
    }

    private static void RequireFiniteNonNegative(RequestViolations violations, string field, double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            violations.Add(field, $"must be a finite number >= 0; got {value}");
        }
    }

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex ConsumerPattern();
}
