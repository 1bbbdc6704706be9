namespace MemScan.Scanner.Scanning;

/// <summary>
/// Chooses the rows per model run when <c>--batch 0</c>: each row's next-token log-probabilities
/// (vocabulary × 4 bytes, kept per tree node) dominate memory, so the batch is what fits a budget
/// of an eighth of the memory available to the process (at most 1 GiB), between 16 and 1024 rows.
/// Measured: 256–512 rows is the plateau on CPU (docs/PERFORMANCE.md), so larger is not better.
/// </summary>
public static class BatchPlanner
{
    public static int ForVocabulary(int vocab)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long budget = Math.Min(1L << 30, Math.Max(64L << 20, available / 8));
        // A row in flight holds its logits, its log-softmax and its state: about 3 vocabulary rows.
        long perRow = 3L * 4 * Math.Max(1, vocab);
        return (int)Math.Clamp(budget / perRow, 16, 1024);
    }
}
