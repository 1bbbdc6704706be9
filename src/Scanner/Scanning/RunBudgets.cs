namespace MemScan.Scanner.Scanning;

/// <summary>
/// How a scan's <c>--memory-budget</c> is shared: the held model states (exact-rank walk,
/// extraction frontier, the isolated host's state table) may take all of it, and one model run's
/// outputs and caches (<see cref="Models.LanguageModel.RunBudgetBytes"/>) a quarter on top, at most
/// <see cref="MaxPerRun"/>. Why a quarter: runs are transient, and rows split into more runs cost
/// little once a run holds a few hundred token positions.
/// </summary>
public static class RunBudgets
{
    /// <summary>
    /// Why a cap: ONNX Runtime's CPU kernels give a row other low bits in another batch size, so
    /// where a run is split changes the last bits of log-probs. A fixed cap keeps the split, and so
    /// the results, the same on every machine of 8 GiB or more at the default budget (a quarter of
    /// the machine); 512 MiB still holds 37 prompt rows of 32 tokens of a GPT-2-small.
    /// </summary>
    public const long MaxPerRun = 512L << 20;

    public static long PerRun(long memoryBudget) => Math.Clamp(memoryBudget / 4, 1, MaxPerRun);
}
