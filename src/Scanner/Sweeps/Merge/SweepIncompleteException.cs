namespace MemScan.Scanner.Sweeps;

/// <summary>
/// A merge refused because shards or batches are missing or still running (exit 3, not 2: the
/// input is not wrong, only not finished; rerun once the missing tasks are done, or pass
/// --allow-partial).
/// </summary>
public sealed class SweepIncompleteException(string sweepDir, SweepCompleteness completeness)
    : Exception($"sweep {sweepDir} is incomplete: {completeness.Describe()}; nothing was merged (run the missing shards, or pass --allow-partial)")
{
    public SweepCompleteness Completeness { get; } = completeness;
}
