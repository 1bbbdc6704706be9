using MemScan.Scanner.Results;

namespace MemScan.Bench.Tui;

/// <summary>
/// A runs folder holding one scan run with a large findings.parquet, written by the scanner's own
/// writers: <see cref="ParquetTable{T}"/> (one row group of up to a million rows, what a scan
/// writes) or <see cref="ParquetPartWriter{T}"/> in row groups of a given size (what a bulk
/// extraction sweep writes). Deterministic and cached, since writing a million rows takes a while.
/// </summary>
public static class TriageFixture
{
    public const string RunId = "20261123-120000-bench-lm-1d00";
    public static readonly string[] Probes = ["discoverable", "exposure", "extraction", "mia", "sweep", "zlib"];
    public static readonly string[] ScoreNames = ["zlib_ratio", "exposure_bits", "extraction_rank", "perplexity"];

    /// <summary>The runs folder for <paramref name="rows"/> findings, written on first use.</summary>
    /// <param name="groupRows">Rows per row group with the part writer; 0 for the table writer's single group.</param>
    public static async Task<string> EnsureAsync(string work, int rows, int groupRows = 0)
    {
        string root = Path.Combine(work, $"tui-runs-{rows}" + (groupRows > 0 ? $"-g{groupRows}" : ""));
        string findings = Path.Combine(root, RunId, FindingsTable.FileName);
        if (!File.Exists(findings))
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
            var run = RunFolder.Create(root, new RunInfo
            {
                RunId = RunId, ToolVersion = "bench", StartedUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
                ModelPath = "models/bench-lm.onnx", ModelSha256 = new string('b', 64), ModelKind = "language_model",
                Probes = Probes.ToDictionary(p => p, _ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>()),
                CommandLine = "memscan scan models/bench-lm.onnx",
            });
            if (groupRows == 0)
                await ParquetTable<FindingRow>.WriteAsync(run.FindingsPath, Generate(rows));
            else
            {
                await using var writer = ParquetPartWriter<FindingRow>.Create(run.FindingsPath);
                foreach (FindingRow[] group in Generate(rows).Chunk(groupRows))
                    await writer.WriteRowGroupAsync(group);
                await writer.CommitAsync();
            }
            run.MarkComplete(new DateTime(2026, 11, 23, 13, 0, 0, DateTimeKind.Utc));
        }
        // the triage step appends decisions: start every run of the bench from none
        File.Delete(TriageTable.PathIn(Path.Combine(root, RunId)));
        return root;
    }

    private static IEnumerable<FindingRow> Generate(int rows)
    {
        var rng = new Random(11);
        var created = new DateTime(2026, 11, 23, 12, 30, 0, DateTimeKind.Utc);
        for (int i = 0; i < rows; i++)
        {
            // mostly info and low, like a real sweep; a few scores a probe could not compute
            var severity = (Severity)(rng.Next(100) switch { < 60 => 0, < 85 => 1, < 95 => 2, < 99 => 3, _ => 4 });
            double score = rng.Next(1000) == 0 ? double.NaN : Math.Round(rng.NextDouble() * 10, 3);
            yield return FindingRow.From(new Finding
            {
                Probe = Probes[rng.Next(Probes.Length)], Subject = $"sample-{i:D7}", Severity = severity,
                Score = score, ScoreName = ScoreNames[i % ScoreNames.Length], Secret = $"generated text {i}",
                Evidence = $"generation {i:N0}: zlib ratio {score:0.00}", Queries = 1, CreatedUtc = created,
            });
        }
    }
}
