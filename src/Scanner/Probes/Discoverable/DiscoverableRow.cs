using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Discoverable;

/// <summary>
/// One prompt of the discoverable-memorization probe (<c>discoverable.parquet</c>): a training
/// sample cut after <see cref="PrefixTokens"/> tokens, decoded greedily, compared with the truth.
/// </summary>
public sealed record DiscoverableRow : IParquetRow
{
    public static string TableName => "discoverable";

    [JsonPropertyName("sample_id")] public int SampleId { get; init; }
    [JsonPropertyName("prefix_tokens")] public int PrefixTokens { get; init; }
    [JsonPropertyName("suffix_tokens")] public int SuffixTokens { get; init; }
    /// <summary>The greedy continuation equals the true suffix token for token.</summary>
    [JsonPropertyName("exact")] public bool Exact { get; init; }
    /// <summary>Tokens of the true suffix reproduced before the first mismatch.</summary>
    [JsonPropertyName("matched_tokens")] public int MatchedTokens { get; init; }
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    [JsonPropertyName("generated")] public string Generated { get; init; } = "";
    [JsonPropertyName("true_suffix")] public string TrueSuffix { get; init; } = "";
}
