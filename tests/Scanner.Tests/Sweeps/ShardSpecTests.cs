using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class ShardSpecTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_shard_option_wins_and_shard_i_takes_every_nth_global_batch()
    {
        var spec = ShardSpec.Resolve("1/3", null, Env((ShardSpec.KubernetesIndex, "0")));

        Assert.Equal(new ShardSpec(1, 3), spec);
        Assert.Equal([1L, 4, 7], spec.Batches(9));
    }

    [Fact]
    public void A_kubernetes_indexed_job_gives_the_index_and_shards_the_count()
    {
        Assert.Equal(new ShardSpec(2, 4), ShardSpec.Resolve(null, 4, Env((ShardSpec.KubernetesIndex, "2"))));
        var e = Assert.Throws<MemScanException>(() => ShardSpec.Resolve(null, null, Env((ShardSpec.KubernetesIndex, "2"))));
        Assert.Contains("--shards", e.Message);
    }

    // The Slurm environment of one array task: what sbatch --array=SPEC sets (checked against a real
    // slurmd by tests/Deploy/slurm-test.sh).
    static Func<string, string?> Slurm(int id, int min, int max, int count, int step = 1) => Env(
        (SlurmArrayShard.TaskId, $"{id}"), (SlurmArrayShard.TaskMin, $"{min}"), (SlurmArrayShard.TaskMax, $"{max}"),
        (SlurmArrayShard.TaskCount, $"{count}"), (SlurmArrayShard.TaskStep, $"{step}"));

    [Fact]
    public void A_slurm_array_of_exactly_n_tasks_is_read_by_position_so_1_based_and_stepped_arrays_fill_shards_0_to_n_minus_1()
    {
        // --array=0-3, --array=1-4, --array=0-6:2, --array=10-40:10 with --shards 4
        Assert.Equal([0, 1, 2, 3], new[] { 0, 1, 2, 3 }.Select(id => ShardSpec.Resolve(null, 4, Slurm(id, 0, 3, 4)).Index));
        Assert.Equal([0, 1, 2, 3], new[] { 1, 2, 3, 4 }.Select(id => ShardSpec.Resolve(null, 4, Slurm(id, 1, 4, 4)).Index));
        Assert.Equal([0, 1, 2, 3], new[] { 0, 2, 4, 6 }.Select(id => ShardSpec.Resolve(null, 4, Slurm(id, 0, 6, 4, step: 2)).Index));
        Assert.Equal([0, 1, 2, 3], new[] { 10, 20, 30, 40 }.Select(id => ShardSpec.Resolve(null, 4, Slurm(id, 10, 40, 4, step: 10)).Index));
        Assert.All(new[] { 0, 1, 2, 3 }, id => Assert.Equal(4, ShardSpec.Resolve(null, 4, Slurm(id, 0, 3, 4)).Count));
    }

    [Fact]
    public void A_resubmitted_single_index_is_that_shard_not_shard_0()
    {
        // sbatch --array=2 after shard 2 of 4 failed: MIN=MAX=2, COUNT=1
        Assert.Equal(new ShardSpec(2, 4), ShardSpec.Resolve(null, 4, Slurm(2, 2, 2, 1)));
        // and two of eight: --array=3,6
        Assert.Equal(new ShardSpec(6, 8), ShardSpec.Resolve(null, 8, Slurm(6, 3, 6, 2, step: 3)));
    }

    [Fact]
    public void A_stepped_or_listed_array_smaller_than_the_sweep_runs_the_shards_its_ids_name()
    {
        // --array=0-6:2 with --shards 7 runs shards 0, 2, 4, 6 of 7; --array=1,2,5 with --shards 6 runs 1, 2, 5
        Assert.Equal([0, 2, 4, 6], new[] { 0, 2, 4, 6 }.Select(id => ShardSpec.Resolve(null, 7, Slurm(id, 0, 6, 4, step: 2)).Index));
        Assert.Equal([1, 2, 5], new[] { 1, 2, 5 }.Select(id => ShardSpec.Resolve(null, 6, Slurm(id, 1, 5, 3)).Index));
    }

    [Fact]
    public void Slurm_arrays_that_name_no_shard_are_refused_with_the_fix()
    {
        // an id beyond the shards in a smaller array: task ids are shard numbers
        var beyond = Assert.Throws<MemScanException>(() => ShardSpec.Resolve(null, 4, Slurm(4, 4, 4, 1)));
        Assert.Contains("SLURM_ARRAY_TASK_ID=4 is no shard of --shards 4 (0..3)", beyond.Message);
        Assert.Contains("--shard i/4", beyond.Message);
        // n ids not evenly spaced (--array=0,1,5,9 --shards 4): no position to read
        var uneven = Assert.Throws<MemScanException>(() => ShardSpec.Resolve(null, 4, Slurm(5, 0, 9, 4)));
        Assert.Contains("not evenly spaced", uneven.Message);
        Assert.Contains("--array=0-3", uneven.Message);
        // no --shards: Slurm's task count is not the sweep's when a task is resubmitted
        var noCount = Assert.Throws<MemScanException>(() => ShardSpec.Resolve(null, null, Slurm(2, 2, 2, 1)));
        Assert.Contains("pass --shards n", noCount.Message);
    }

    [Fact]
    public void An_explicit_shard_wins_over_the_slurm_environment()
    {
        Assert.Equal(new ShardSpec(3, 4), ShardSpec.Resolve("3/4", 4, Slurm(9, 9, 9, 1)));
        Assert.Equal(new ShardSpec(1, 2), ShardSpec.Resolve("1/2", null, Slurm(0, 0, 3, 4)));
    }

    [Fact]
    public void Nothing_given_is_one_shard_and_bad_values_name_the_numbers()
    {
        Assert.Equal(ShardSpec.Single, ShardSpec.Resolve(null, null, Env()));
        Assert.Contains("outside 0..1", Assert.Throws<MemScanException>(() => ShardSpec.Parse("2/2")).Message);
        Assert.Contains("i/n", Assert.Throws<MemScanException>(() => ShardSpec.Parse("two")).Message);
        Assert.Contains("says 2 shards but --shards says 3", Assert.Throws<MemScanException>(() => ShardSpec.Resolve("0/2", 3, Env())).Message);
    }
}
