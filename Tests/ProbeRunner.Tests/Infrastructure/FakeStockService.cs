using AspireProber.Stock.V1;
using Grpc.Core;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>
/// A stock log in memory: sequences <see cref="Oldest"/>..<see cref="Head"/> are retained; a stream sends every
/// retained update after the resume point, then waits for more. A resume point no longer retained gets OUT_OF_RANGE
/// with RetentionInfo, as the real service answers. Streams can be made to drop after a number of updates.
/// </summary>
public sealed class FakeStockService : StockService.StockServiceBase
{
    private readonly object _lock = new();
    private readonly List<GetUpdatesRequest> _requests = [];
    private readonly Dictionary<string, long> _sent = [];
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The oldest sequence retained (1 until <see cref="Retain"/> drops some).</summary>
    public ulong Oldest { get; private set; } = 1;

    /// <summary>The newest sequence (0: empty).</summary>
    public ulong Head { get; private set; }

    /// <summary>For stream number n (1-based), drop it with UNAVAILABLE after this many updates; null: never.</summary>
    public Func<int, int?> DropAfter { get; set; } = _ => null;

    /// <summary>Runs when a stream is dropped, before the client sees the error (e.g. to move retention meanwhile).</summary>
    public Action<int>? OnDrop { get; set; }

    /// <summary>When true, every GetUpdates is OUT_OF_RANGE, as for a consumer that keeps falling behind a fast log.</summary>
    public bool AlwaysOutOfRange { get; set; }

    /// <summary>Every GetUpdates request, in order.</summary>
    public IReadOnlyList<GetUpdatesRequest> Requests { get { lock (_lock) { return _requests.ToArray(); } } }

    /// <summary>Updates written to a consumer's streams.</summary>
    public long Sent(string consumer) { lock (_lock) { return _sent.GetValueOrDefault(consumer); } }

    /// <summary>Appends <paramref name="count"/> updates to the log.</summary>
    public void Append(int count)
    {
        TaskCompletionSource appended;
        lock (_lock)
        {
            Head += (ulong)count;
            appended = _appended;
            _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        appended.TrySetResult();
    }

    /// <summary>Drops every update older than <paramref name="oldest"/>.</summary>
    public void Retain(ulong oldest)
    {
        lock (_lock)
        {
            Oldest = oldest;
        }
    }

    public override async Task GetUpdates(GetUpdatesRequest request, IServerStreamWriter<StockUpdate> responseStream, ServerCallContext context)
    {
        int stream;
        ulong next;
        lock (_lock)
        {
            _requests.Add(request.Clone());
            stream = _requests.Count;
            // Without a resume point a consumer starts with the updates that come next.
            next = request.HasResumeAfterSequence ? request.ResumeAfterSequence + 1 : Head + 1;
            if (next < Oldest || AlwaysOutOfRange)
            {
                throw new Google.Rpc.Status
                {
                    Code = (int)StatusCode.OutOfRange,
                    Message = $"sequence {next} is no longer retained",
                    Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new RetentionInfo { OldestRetainedSequence = Oldest, HeadSequence = Head }) },
                }.ToRpcException();
            }
        }

        var dropAfter = DropAfter(stream);
        var written = 0;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            Task appended;
            ulong head;
            lock (_lock)
            {
                appended = _appended.Task;
                head = Head;
            }
            for (; next <= head; next++)
            {
                if (written == dropAfter)
                {
                    OnDrop?.Invoke(stream);
                    throw new RpcException(new Status(StatusCode.Unavailable, "the fake dropped the stream"));
                }
                await responseStream.WriteAsync(new StockUpdate { Ticker = "MSFT", Price = 100 + next, Sequence = next });
                written++;
                lock (_lock)
                {
                    _sent[request.Consumer] = _sent.GetValueOrDefault(request.Consumer) + 1;
                }
            }
            await appended.WaitAsync(context.CancellationToken);
        }
    }
}
