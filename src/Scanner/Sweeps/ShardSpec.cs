using System.Globalization;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Which part of a sweep one process does: shard <see cref="Index"/> of <see cref="Count"/>. Shard i
/// takes the global batches i, i+n, i+2n, … (batch j = samples j·B .. (j+1)·B−1), so shards
/// stay balanced to within one batch and a sample's batch does not depend on n.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";

    public static ShardSpec Single { get; } = new(0, 1);

    /// <summary>
    /// From <c>--shard i/n</c>, else from the scheduler's environment: a Kubernetes indexed job's
    /// <c>JOB_COMPLETION_INDEX</c> with <c>--shards n</c>, or a Slurm array task with <c>--shards n</c>
    /// (see <see cref="SlurmArrayShard"/>). Nothing given: one shard.
    /// </summary>
    public static ShardSpec Resolve(string? shardOption, int? shardsOption, Func<string, string?> environment)
    {
        if (shardOption is not null)
        {
            var spec = Parse(shardOption);
            if (shardsOption is int n && n != spec.Count)
                throw new MemScanException($"--shard {shardOption} says {spec.Count} shards but --shards says {n}");
            return spec;
        }
        if (environment(KubernetesIndex) is { Length: > 0 } k8s)
        {
            int count = shardsOption ?? throw new MemScanException($"{KubernetesIndex}={k8s} is set: pass --shards n (the job's completions) to say how many shards there are");
            return Checked(ParseInt(k8s, KubernetesIndex), count, $"{KubernetesIndex}={k8s}");
        }
        if (environment(SlurmArrayShard.TaskId) is { Length: > 0 } slurm)
            return SlurmArrayShard.Resolve(slurm, shardsOption, environment);
        return shardsOption is int only && only != 1
            ? throw new MemScanException($"--shards {only} needs --shard i/{only}, {KubernetesIndex} or {SlurmArrayShard.TaskId} to say which shard this is")
            : Single;
    }

    /// <summary>Parses "i/n" with 0 ≤ i &lt; n.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                              || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new MemScanException($"--shard must look like i/n (e.g. 0/4), got '{text}'");
        return Checked(i, n, $"--shard {text}");
    }

    /// <summary>The global batch indices of this shard, in order.</summary>
    public IEnumerable<long> Batches(long batchCount)
    {
        for (long j = Index; j < batchCount; j += Count) yield return j;
    }

    public override string ToString() => $"{Index}/{Count}";

    internal static ShardSpec Checked(int i, int n, string source)
    {
        if (n <= 0) throw new MemScanException($"{source}: the shard count must be > 0, got {n}");
        if (n > 9999) throw new MemScanException($"{source}: at most 9999 shards (folders are shard=NNNN), got {n}");
        if (i < 0 || i >= n) throw new MemScanException($"{source}: shard index {i} is outside 0..{n - 1}");
        return new ShardSpec(i, n);
    }

    internal static int ParseInt(string value, string name) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new MemScanException($"{name}='{value}' is not an integer");
}
