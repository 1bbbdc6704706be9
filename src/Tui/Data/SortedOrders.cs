namespace MemScan.Tui.Data;

/// <summary>
/// The full sorted permutation of one findings table per <see cref="FindingSort"/>, each computed
/// once on the thread pool and then kept (4 bytes a row per sort): cycling through the sorts or
/// changing a filter after the first time costs a linear filter pass, not a sort. Concurrent
/// requests for the same sort share one computation.
/// </summary>
internal sealed class SortedOrders(FindingKeys keys)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<FindingSort, Task<int[]>> _orders = new();

    public FindingKeys Keys { get; } = keys;

    public Task<int[]> GetAsync(FindingSort sort)
    {
        lock (_lock)
        {
            if (!_orders.TryGetValue(sort, out Task<int[]>? order) || order.IsFaulted || order.IsCanceled)
                _orders[sort] = order = Task.Run(() => SortPermutation.Compute(Keys, sort));
            return order;
        }
    }

    /// <summary>Whether <paramref name="sort"/>'s order is ready now (showing it needs no wait).</summary>
    public bool IsReady(FindingSort sort)
    {
        lock (_lock)
            return _orders.TryGetValue(sort, out Task<int[]>? order) && order.IsCompletedSuccessfully;
    }
}
