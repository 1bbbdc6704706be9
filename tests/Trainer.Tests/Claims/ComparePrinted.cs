using System.Globalization;
using MemScan.Scanner.Similarity;

namespace MemScan.Trainer.Tests.Claims;

/// <summary>
/// The pair lines <c>memscan compare</c> prints (src/Scanner/Cli/CompareCommand.cs), formatted the
/// same way from a <see cref="CompareResult"/> the study tests computed through the same code.
/// </summary>
internal static class ComparePrinted
{
    public static List<string> Lines(CompareResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = result.Rows.Where(r => r.LayerIndexA == r.LayerIndexB).GroupBy(r => (r.ModelA, r.ModelB))
            .Select(pair => $"{pair.Key.ModelA} vs {pair.Key.ModelB}: " +
                            string.Join("  ", pair.Select(r => string.Format(inv, "{0} CKA {1:F3} SVCCA {2:F3}", r.LayerA, r.Cka, r.Svcca))))
            .ToList();
        foreach (var line in lines) Xunit.TestContext.Current.TestOutputHelper?.WriteLine(line);
        return lines;
    }
}
