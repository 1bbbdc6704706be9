using MemScan.Scanner.Tests;
using Xunit;

namespace MemScan.Trainer.Tests.Claims;

/// <summary>
/// Holds a regenerated figure at the value a document prints: the test formats what it just
/// computed exactly as the document shows it, and the document must contain that text. A changed
/// result or an edited document both fail, with the regenerated text in the message.
/// </summary>
internal static class PrintedFigures
{
    public static void AssertPrinted(string document, IEnumerable<string> regenerated)
    {
        string text = RepoDocs.Read(document);
        var missing = regenerated.Where(line => !text.Contains(line, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"{document} does not print what the test regenerated:\n" + string.Join("\n", missing));
    }

    public static string Percent(double share) => FormattableString.Invariant($"{100 * share:F1}%");
}
