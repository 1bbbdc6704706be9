using System.Security.Cryptography;
using System.Text;
using MemScan.Scanner;
using MemScan.Scanner.Corpora;

namespace MemScan.Trainer.Training;

/// <summary>The training text of a named real corpus (fetched by corpora/fetch.sh) and its fingerprint.</summary>
public sealed record TrainingCorpus(string Name, string Text, string Sha256, IReadOnlyList<string> HeldOutLines)
{
    /// <summary>Held-out text after the training cut, for non-member samples.</summary>
    const int HeldOutChars = 200_000;

    public static IReadOnlyList<string> Names { get; } = [CorpusPaths.SpamAssassin, CorpusPaths.MobyDick, CorpusPaths.StateOfTheUnion];

    public static TrainingCorpus Load(string name, int maxChars)
    {
        var lines = (name switch
        {
            // Headers included: that is where the addresses, names and numbers are.
            CorpusPaths.SpamAssassin => EmailCorpus.LoadDefault().Lines(includeHeaders: true),
            CorpusPaths.MobyDick => ProseCorpus.LoadMobyDick().Lines(),
            CorpusPaths.StateOfTheUnion => ProseCorpus.LoadStateOfTheUnion().Lines(),
            _ => throw new MemScanException($"unknown corpus '{name}': use one of {string.Join(", ", Names)}"),
        }).ToList();
        string text = CorpusText.Take(lines, maxChars);
        if (text.Length == 0) throw new MemScanException($"corpus '{name}' gave no text");
        int used = text.Count(c => c == '\n') + 1;
        var heldOut = new List<string>();
        int chars = 0;
        foreach (var line in lines.Skip(used))
        {
            if ((chars += line.Length + 1) > HeldOutChars) break;
            heldOut.Add(line);
        }
        return new TrainingCorpus(name, text, Sha256Of(text), heldOut);
    }

    public static TrainingCorpus FromText(string name, string text) => new(name, text, Sha256Of(text), []);

    static string Sha256Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
