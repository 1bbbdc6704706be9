using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Tui.Demo;

/// <summary>A per-example membership-inference score row (demo data only).</summary>
internal sealed class DemoLossRow : IParquetRow
{
    public static string TableName => "mia";
    [JsonPropertyName("example_id")] public string ExampleId { get; set; } = "";
    [JsonPropertyName("loss")] public double Loss { get; set; }
    [JsonPropertyName("is_member")] public bool IsMember { get; set; }
}
