using System.Security.Cryptography;
using System.Text;
using MemScan.Scanner;
using MemScan.Scanner.Corpora;

namespace MemScan.Trainer.Training;

/// <summary>The training text of a named real corpus (fetched by corpora/fetch.sh) and its fingerprint.</summary>
public sealed record TrainingCorpus(string Name, string Text, string Sha256)
{
    public static IReadOnlyList<string> Names { get; } = [CorpusPaths.SpamAssassin, CorpusPaths.MobyDick, CorpusPaths.StateOfTheUnion];

    public static TrainingCorpus Load(string name, int maxChars)
    {
        string text = name switch
        {
            // Headers included: that is where the addresses, names and numbers are.
            CorpusPaths.SpamAssassin => EmailCorpus.LoadDefault().TrainingText(maxChars, includeHeaders: true),
            CorpusPaths.MobyDick => ProseCorpus.LoadMobyDick().TrainingText(maxChars),
            CorpusPaths.StateOfTheUnion => ProseCorpus.LoadStateOfTheUnion().TrainingText(maxChars),
            _ => throw new MemScanException($"unknown corpus '{name}': use one of {string.Join(", ", Names)}"),
        };
        if (text.Length == 0) throw new MemScanException($"corpus '{name}' gave no text");
        return new TrainingCorpus(name, text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }
}
