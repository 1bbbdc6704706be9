using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.GreedySecret;

/// <summary>One canary of the greedy_secret probe: a row of <c>greedy_secret.parquet</c>.</summary>
public sealed class GreedySecretRow : IParquetRow
{
    public static string TableName => "greedy_secret";

    [JsonPropertyName("canary_id")] public string CanaryId { get; set; } = "";

    /// <summary>The text the model was prompted with: the canary's template up to its hole.</summary>
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";

    /// <summary>The inserted secret. Sensitive.</summary>
    [JsonPropertyName("secret")] public string Secret { get; set; } = "";

    [JsonPropertyName("insertions")] public int Insertions { get; set; }

    /// <summary>What greedy decoding typed after the prompt, as many tokens as the secret takes.</summary>
    [JsonPropertyName("generated")] public string Generated { get; set; } = "";

    /// <summary>Leading characters of <see cref="Generated"/> that equal the secret's.</summary>
    [JsonPropertyName("matched_chars")] public int MatchedChars { get; set; }

    /// <summary>True when the whole secret came out.</summary>
    [JsonPropertyName("exact")] public bool Exact { get; set; }
}
