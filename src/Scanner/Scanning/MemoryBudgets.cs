using System.Globalization;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// The scan's <c>--memory-budget SIZE</c>: the most bytes of model state (KV caches, recurrent
/// state) the exact-rank walk, the extraction frontier and the isolated host's state table hold at
/// once; a share of it bounds each model run (<see cref="RunBudgets"/>). Sizes are a number with
/// an optional unit, K/M/G/T (powers of 1024, also written KiB, MB, GB, ...), e.g. 512M or 2G.
/// </summary>
public static class MemoryBudgets
{
    /// <summary>Smallest budget accepted: below it the searches would run one row at a time.</summary>
    public const long Minimum = 16L << 20;

    /// <summary>
    /// A quarter of the memory this process may use (the machine's, or the container's limit),
    /// at least <see cref="Minimum"/>. Why a quarter: the model's weights, ONNX Runtime's working
    /// memory and a batch's logits come on top, and other work shares the machine.
    /// </summary>
    public static long MachineDefault => Math.Max(Minimum, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>Reads SIZE; a bad one is a <see cref="MemScanException"/> naming the option.</summary>
    public static long Parse(string text, string option = "--memory-budget")
    {
        string t = text.Trim();
        int split = t.Length;
        while (split > 0 && !char.IsDigit(t[split - 1])) split--;
        string unit = t[split..].Trim().ToUpperInvariant();
        long scale = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            "T" or "TB" or "TIB" => 1L << 40,
            _ => 0,
        };
        if (scale == 0 || !double.TryParse(t[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ||
            !double.IsFinite(number) || number < 0 || number * scale > long.MaxValue)
            throw new MemScanException($"{option}: cannot read '{text}' as a size (e.g. 512M, 2G, 1.5GiB)");
        long bytes = (long)(number * scale);
        if (bytes < Minimum)
            throw new MemScanException($"{option}: {text} is below the smallest budget, {Minimum >> 20} MiB");
        return bytes;
    }

    /// <summary>"1.5 GiB", for logs and run records.</summary>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? $"{bytes / (double)(1L << 30):F1} GiB"
        : $"{bytes / (double)(1L << 20):F0} MiB";
}
