namespace MemScan.Scanner.Scanning;

/// <summary>
/// How a scan's <c>--memory-budget</c> is shared: the held model states (exact-rank walk,
/// extraction frontier, the isolated host's state table) may take all of it, and one model run's
/// outputs and caches (<see cref="Models.LanguageModel.RunBudgetBytes"/>) a quarter on top. Why a
/// quarter: runs are transient, and rows split into more runs cost little once a run holds a few
/// rows (the bench's batch curve flattens past 16 rows, docs/PERFORMANCE.md).
/// </summary>
public static class RunBudgets
{
    public static long PerRun(long memoryBudget) => Math.Max(1, memoryBudget / 4);
}
