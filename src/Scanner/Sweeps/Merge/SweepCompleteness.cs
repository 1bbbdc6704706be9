using System.Globalization;
using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>One shard that lacks committed batches, and whether a live process is writing it now.</summary>
public sealed record ShardGap(
    [property: JsonPropertyName("shard")] int Shard,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("missing_batches")] IReadOnlyList<long> MissingBatches)
{
    /// <summary>No part committed and nobody writing: never started, pending, or failed before its first part.</summary>
    public const string NotStarted = "not started";
    /// <summary>Its <c>.lock</c> is held: a live process is writing it.</summary>
    public const string Running = "running";
    /// <summary>Some parts committed, the rest missing, nobody writing: killed, failed or stopped by --max-parts.</summary>
    public const string Incomplete = "incomplete";
}

/// <summary>
/// Which batches of a sweep are not committed, from sweep.json's grid (batch j = samples j·B ..
/// (j+1)·B−1, shard j mod n) and the sample indices read: a merge of an incomplete sweep would
/// rank and publish a part of it as if it were all, so <see cref="SweepMerge"/> refuses one unless
/// told otherwise, naming every shard and batch that is missing.
/// </summary>
public sealed record SweepCompleteness(long ExpectedSamples, long CommittedSamples, int Shards, IReadOnlyList<ShardGap> Gaps)
{
    public bool Complete => Gaps.Count == 0;

    public static SweepCompleteness Check(string sweepDir, SweepInfo info, IReadOnlyCollection<long> sampleIndices)
    {
        long samples = Setting(info, "samples");
        long batch = Setting(info, "batch");
        int shards = info.Shards;
        long batches = (samples + batch - 1) / batch;
        var committed = new long[batches];
        foreach (long i in sampleIndices)
            if (i >= 0 && i < samples) committed[i / batch]++;

        var missingByShard = new SortedDictionary<int, List<long>>();
        for (long j = 0; j < batches; j++)
            if (committed[j] < Math.Min(batch, samples - j * batch))
            {
                int shard = (int)(j % shards);
                if (!missingByShard.TryGetValue(shard, out var list)) missingByShard[shard] = list = [];
                list.Add(j);
            }

        var gaps = missingByShard.Select(kv =>
        {
            string folder = HiveFolder.ShardFolder(sweepDir, kv.Key);
            string state = ShardLock.IsHeld(folder) ? ShardGap.Running
                : kv.Value.Count == ShardBatchCount(kv.Key, shards, batches) ? ShardGap.NotStarted
                : ShardGap.Incomplete;
            return new ShardGap(kv.Key, state, kv.Value);
        }).ToList();
        return new SweepCompleteness(samples, sampleIndices.Count(i => i >= 0 && i < samples), shards, gaps);
    }

    /// <summary>
    /// One line naming every gap: "shards 3, 5-7 not started; shard 2 running (batches 6, 14 not
    /// committed); shard 1 incomplete (batch 9)". Batches of one shard step by the shard count, so
    /// runs are written "first-last step n".
    /// </summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        var notStarted = Gaps.Where(g => g.State == ShardGap.NotStarted).Select(g => (long)g.Shard).ToList();
        if (notStarted.Count > 0)
            parts.Add($"{(notStarted.Count == 1 ? "shard" : "shards")} {Runs(notStarted, 1)} not started");
        foreach (var g in Gaps.Where(g => g.State != ShardGap.NotStarted))
            parts.Add(string.Create(c, $"shard {g.Shard} {g.State} ({(g.MissingBatches.Count == 1 ? "batch" : "batches")} {Runs(g.MissingBatches, Shards)} not committed)"));
        return string.Create(c, $"{CommittedSamples:N0} of {ExpectedSamples:N0} samples are committed: ") + string.Join("; ", parts);
    }

    /// <summary>"1, 3-7, 9" (step 1) or "2-26 step 8" (runs whose neighbours differ by <paramref name="step"/>).</summary>
    internal static string Runs(IReadOnlyList<long> sorted, long step)
    {
        var c = CultureInfo.InvariantCulture;
        var runs = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int k = i;
            while (k + 1 < sorted.Count && sorted[k + 1] - sorted[k] == step) k++;
            if (k - i >= 2) runs.Add(string.Create(c, $"{sorted[i]}-{sorted[k]}") + (step == 1 ? "" : string.Create(c, $" step {step}")));
            else for (int m = i; m <= k; m++) runs.Add(sorted[m].ToString(c));
            i = k + 1;
        }
        return string.Join(", ", runs);
    }

    static long ShardBatchCount(int shard, int shards, long batches) => shard >= batches ? 0 : (batches - 1 - shard) / shards + 1;

    static long Setting(SweepInfo info, string name) =>
        long.TryParse(info.Settings.GetValueOrDefault(name), NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v > 0
            ? v
            : throw new MemScanException($"sweep.json of {info.SweepId} has no valid '{name}' setting: cannot tell which batches belong to the sweep");
}
