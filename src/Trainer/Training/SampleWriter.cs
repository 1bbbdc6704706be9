using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;

namespace MemScan.Trainer.Training;

/// <summary>
/// Writes the member and non-member sample files a scan uses for discoverable memorization and
/// membership inference: random lines of the training text, and held-out lines of the same corpus
/// that never occur in the training text.
/// </summary>
public static class SampleWriter
{
    public const int MinChars = 48, Count = 256;

    public static SampleFiles? Write(string outDir, string trainingText, IReadOnlyList<string> heldOutLines, int seed)
    {
        var random = new Random(seed ^ 0x5a3);
        var members = trainingText.Split('\n').Where(l => l.Length >= MinChars).Distinct()
            .OrderBy(_ => random.Next()).Take(Count).ToList();
        var nonMembers = heldOutLines.Where(l => l.Length >= MinChars).Distinct()
            .Where(l => !trainingText.Contains(l, StringComparison.Ordinal))
            .OrderBy(_ => random.Next()).Take(Count).ToList();
        if (members.Count == 0) return null;
        // Training text (real emails: addresses, numbers) is as sensitive as the secrets: owner-only, atomic.
        AtomicFile.CreatePrivateDirectory(Path.Combine(outDir, "samples"));
        AtomicFile.WriteAllText(Path.Combine(outDir, "samples", "members.txt"), Lines(members));
        AtomicFile.WriteAllText(Path.Combine(outDir, "samples", "non-members.txt"), Lines(nonMembers));
        return new SampleFiles { Members = "samples/members.txt", NonMembers = nonMembers.Count > 0 ? "samples/non-members.txt" : null };
    }

    static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));
}
