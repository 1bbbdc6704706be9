namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Groups near-identical samples, as Carlini et al. 2021 do before ranking (§5.3: a memorized
/// sequence tends to come out many times). Texts are normalized (lowercase, runs of whitespace to
/// one space, trimmed) and cut into character 5-gram shingles; two samples are duplicates when
/// the Jaccard similarity of their shingle sets is at least the threshold. Candidate pairs come
/// from MinHash with LSH banding (64 hashes in 16 bands of 4 rows: pairs at Jaccard 0.7 meet with
/// probability ≈ 0.99, unrelated ones almost never), so the work is near-linear in the samples;
/// every candidate pair is then checked with the exact Jaccard. Duplicates are merged transitively
/// and each group is represented by its lowest sample index.
/// </summary>
public static class NearDuplicates
{
    public const int Shingle = 5, Hashes = 64, Bands = 16, Rows = Hashes / Bands;

    /// <summary>Key of each duplicate → key of its group's representative; samples that represent themselves are absent.</summary>
    public static IReadOnlyDictionary<long, long> Find(IReadOnlyList<(long Key, string Text)> samples, double threshold)
    {
        if (!(threshold > 0 && threshold <= 1)) throw new MemScanException($"--dedup-threshold must be in (0, 1], got {threshold}");
        var shingles = samples.Select(s => ShingleSet(Normalize(s.Text))).ToArray();
        var signatures = shingles.Select(Signature).ToArray();
        var parent = Enumerable.Range(0, samples.Count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }

        var checkedPairs = new HashSet<(int, int)>();
        for (int band = 0; band < Bands; band++)
        {
            var buckets = new Dictionary<ulong, List<int>>();
            for (int i = 0; i < samples.Count; i++)
            {
                ulong key = (ulong)band;
                for (int r = 0; r < Rows; r++) key = Mix(key ^ signatures[i][band * Rows + r]);
                if (!buckets.TryGetValue(key, out var list)) buckets[key] = list = [];
                list.Add(i);
            }
            foreach (var bucket in buckets.Values.Where(b => b.Count > 1))
                for (int a = 0; a < bucket.Count; a++)
                    for (int b = a + 1; b < bucket.Count; b++)
                    {
                        int x = bucket[a], y = bucket[b];
                        if (Root(x) == Root(y) || !checkedPairs.Add((x, y))) continue;
                        if (Jaccard(shingles[x], shingles[y]) >= threshold) parent[Root(y)] = Root(x);
                    }
        }

        var groups = Enumerable.Range(0, samples.Count).GroupBy(Root);
        var result = new Dictionary<long, long>();
        foreach (var group in groups)
        {
            long representative = group.Min(i => samples[i].Key);
            foreach (int i in group)
                if (samples[i].Key != representative) result[samples[i].Key] = representative;
        }
        return result;
    }

    public static string Normalize(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0) return 1;
        int both = a.Count < b.Count ? a.Count(b.Contains) : b.Count(a.Contains);
        return (double)both / (a.Count + b.Count - both);
    }

    public static HashSet<ulong> ShingleSet(string normalized)
    {
        var set = new HashSet<ulong>();
        if (normalized.Length <= Shingle)
        {
            if (normalized.Length > 0) set.Add(HashOf(normalized));
            return set;
        }
        for (int i = 0; i + Shingle <= normalized.Length; i++) set.Add(HashOf(normalized.AsSpan(i, Shingle)));
        return set;
    }

    static ulong[] Signature(HashSet<ulong> set)
    {
        var signature = new ulong[Hashes];
        Array.Fill(signature, ulong.MaxValue);
        foreach (ulong s in set)
            for (int k = 0; k < Hashes; k++)
            {
                ulong h = Mix(s ^ (0x9E3779B97F4A7C15UL * (ulong)(k + 1)));
                if (h < signature[k]) signature[k] = h;
            }
        return signature;
    }

    static ulong HashOf(ReadOnlySpan<char> s)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in s) h = (h ^ c) * 1099511628211UL;
        return Mix(h);
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
