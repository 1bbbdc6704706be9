using MemScan.Scanner.Probes.Exposure;

namespace MemScan.Bench;

/// <summary>
/// A model the sections share: its ONNX file, one canary's candidate tree below the root tokens,
/// decoding prompts, and its matmul FLOPs for one token that sees <c>context</c> earlier positions.
/// </summary>
public sealed record BenchModel(
    string Name, string OnnxPath, int[] RootTokens, CandidateTrie Trie, long Secret,
    int[][] Prompts, Func<int, double> FlopsPerToken)
{
    /// <summary>Secret candidate index used by every section (a random-looking 6-digit PIN).</summary>
    public const long DefaultSecret = 424_242;
}
