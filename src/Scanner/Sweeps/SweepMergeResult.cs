using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>What a merge read, decided and wrote.</summary>
public sealed record SweepMergeResult(
    string SweepDir,
    SweepInfo? Info,
    IReadOnlyList<RankedSampleRow> Ranked,
    IReadOnlyList<PrecisionRow> Precision,
    IReadOnlyList<Finding> Findings,
    int PartsRead,
    IReadOnlyList<SkippedPart> Skipped,
    long ExpectedSamples,
    int RepeatedRows,
    int Duplicates,
    string? Corpus,
    int Canaries,
    SweepCompleteness? Completeness)
{
    public const string RankedFile = "ranked.parquet", PrecisionFile = "precision.parquet";
    public bool Confirms => Corpus is not null || Canaries > 0;
    /// <summary>Known to lack shards or batches (merged with --allow-partial); false also when unknown (no sweep.json).</summary>
    public bool Partial => Completeness is { Complete: false };
}
