namespace MemScan.Scanner.Sweeps;

/// <summary>What <c>memscan sweep merge</c> was asked to do.</summary>
public sealed record SweepMergeOptions
{
    public required string SweepDir { get; init; }
    /// <summary>Training text files to confirm against (each one document).</summary>
    public IReadOnlyList<string> CorpusFiles { get; init; } = [];
    /// <summary>A folder of training text files (all files below it).</summary>
    public string? CorpusDir { get; init; }
    /// <summary>Manifest for canaries and the training corpus; null uses the one sweep.json names.</summary>
    public string? ManifestPath { get; init; }
    /// <summary>Shortest verbatim training-text match, in chars, that confirms a sample.</summary>
    public int MinMatch { get; init; } = 50;
    /// <summary>Jaccard similarity of character 5-gram sets at or above which two samples are duplicates.</summary>
    public double DedupThreshold { get; init; } = 0.7;
    /// <summary>The k of precision at k.</summary>
    public IReadOnlyList<int> TopK { get; init; } = [10, 100];
    /// <summary>Merge a sweep with missing or running shards anyway (recorded in merge.json and the findings) instead of refusing it.</summary>
    public bool AllowPartial { get; init; }
}
