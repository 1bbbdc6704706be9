using System.Globalization;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Which shard a Slurm array task is, given <c>--shards n</c>. The task id is the shard, so
/// resubmitting one failed shard (<c>sbatch --array=2</c>) computes shard 2, whatever the array
/// around it. Only an array of exactly n tasks is read by position instead
/// ((id − <c>SLURM_ARRAY_TASK_MIN</c>) / <c>SLURM_ARRAY_TASK_STEP</c>), so <c>--array=1-8</c> and
/// <c>--array=0-14:2</c> also fill shards 0..7. An array of n ids that are not evenly spaced has
/// no position Slurm tells a task, and an id outside 0..n−1 in a smaller array is no shard: both
/// are refused with the fix.
/// </summary>
public static class SlurmArrayShard
{
    public const string TaskId = "SLURM_ARRAY_TASK_ID";
    public const string TaskCount = "SLURM_ARRAY_TASK_COUNT";
    public const string TaskMin = "SLURM_ARRAY_TASK_MIN";
    public const string TaskMax = "SLURM_ARRAY_TASK_MAX";
    public const string TaskStep = "SLURM_ARRAY_TASK_STEP";

    public static ShardSpec Resolve(string taskId, int? shardsOption, Func<string, string?> environment)
    {
        int id = ShardSpec.ParseInt(taskId, TaskId);
        int n = shardsOption ?? throw new MemScanException(
            $"{TaskId}={taskId} is set: pass --shards n, the sweep's shard count (a resubmitted task's array is smaller than the sweep, so Slurm's task count is not it)");
        int? count = Optional(environment, TaskCount), min = Optional(environment, TaskMin), max = Optional(environment, TaskMax);
        int step = Optional(environment, TaskStep) ?? 1;

        if (count == n && min is int first && max is int last)
        {
            if (step > 0 && last - first == (n - 1) * step && (id - first) % step == 0)
                return ShardSpec.Checked((id - first) / step, n, $"{TaskId}={id} (array {first}-{last}:{step})");
            throw new MemScanException(
                $"{TaskId}={id}: the array has {n} task ids from {first} to {last} that are not evenly spaced, so a task's position (its shard) is unknown; " +
                $"submit --array=0-{n - 1} (task id = shard), or ids that are the shards themselves in an array of another size");
        }
        if (n > 0 && (id < 0 || id >= n))
            throw new MemScanException(
                $"{TaskId}={id} is no shard of --shards {n} (0..{n - 1}): in an array of {Show(count)} task(s), not {n}, the task id is the shard; " +
                $"resubmit failed shards by shard number (sbatch --array=<shards>), or pass --shard i/{n}");
        return ShardSpec.Checked(id, n, $"{TaskId}={id}");
    }

    static string Show(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    static int? Optional(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value ? ShardSpec.ParseInt(value, name) : null;
}
