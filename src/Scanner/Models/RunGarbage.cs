namespace MemScan.Scanner.Models;

/// <summary>
/// Collects the garbage of bounded model runs before it piles up. Each run leaves large arrays
/// behind (gathered caches, each row's scattered cache, widened logits), all on the large object
/// heap, which .NET collects only in full collections; a probe allocates little else, so on a
/// machine with free memory the heap grew run after run: the 124M GPT's discoverable host passed
/// 9 GB and was still growing, and finished at 4.1 GB once collections came (docs/PERFORMANCE.md).
/// So after every <see cref="Factor"/> run budgets allocated by this process, one full collection.
/// </summary>
internal static class RunGarbage
{
    /// <summary>Garbage allowed between collections, in run budgets: the live states, one run, and this much.</summary>
    public const int Factor = 2;

    static long _allocatedAtCollection;

    /// <summary>After a run under <paramref name="runBudgetBytes"/> (unbounded: nothing to do).</summary>
    public static void AfterRun(long runBudgetBytes)
    {
        if (runBudgetBytes == long.MaxValue) return;
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - Interlocked.Read(ref _allocatedAtCollection) < Factor * runBudgetBytes) return;
        Interlocked.Exchange(ref _allocatedAtCollection, allocated);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        Collections++;
    }

    /// <summary>Full collections this triggered (tests check that bounded runs trigger them).</summary>
    public static int Collections { get; private set; }
}
