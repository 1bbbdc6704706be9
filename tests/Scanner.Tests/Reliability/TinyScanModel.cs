using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Models;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// A bigram ONNX model with a manifest that gives every language-model probe work: two canaries
/// with secrets (exposure, extraction) and member / non-member sample files (discoverable, mia).
/// Small enough that a whole <c>memscan scan</c> takes seconds on 2 cores.
/// </summary>
internal sealed record TinyScanModel(string ModelPath, IReadOnlyList<string> Secrets)
{
    public const string Symbols = "\0abcdefghijklmnopqrstuvwxyz .,";

    public static TinyScanModel Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "samples"));
        string model = BigramOnnxModel.Write(Path.Combine(folder, "model.onnx"), Symbols.Length, seed: 5);
        // letter secrets: no count, size or timing the scan prints can contain them by chance
        var canaries = new[]
        {
            Canary.Create("pin-8", "my pin is {secret}.", "qxzj", RandomnessSpace.Parse("lower:4"), 8),
            Canary.Create("code-2", "the code is {secret}.", "vkw", RandomnessSpace.Parse("lower:3"), 2),
        };
        File.WriteAllLines(Path.Combine(folder, "samples", "members.txt"), Texts(80, 1));
        File.WriteAllLines(Path.Combine(folder, "samples", "non-members.txt"), Texts(80, 2));
        new ModelManifest
        {
            ModelFile = "model.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = Symbols },
            Io = new LmIoSpec { InputIds = "input_ids", Logits = "logits" },
            Canaries = canaries.Select(CanaryRecord.From).ToList(),
            Samples = new SampleFiles { Members = "samples/members.txt", NonMembers = "samples/non-members.txt" },
        }.Save(ModelManifest.PathFor(model));
        return new TinyScanModel(model, canaries.Select(c => c.Secret).ToList());
    }

    static IEnumerable<string> Texts(int n, int seed)
    {
        var random = new Random(seed);
        const string letters = "abcdefghijklmnopqrstuvwxyz  .,";
        return Enumerable.Range(0, n).Select(_ =>
            "s" + new string(Enumerable.Range(0, random.Next(30, 60)).Select(_ => letters[random.Next(letters.Length)]).ToArray()).Trim());
    }
}
