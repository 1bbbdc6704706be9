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

    [Fact]
    public void A_slurm_array_starting_at_1_is_shifted_by_its_minimum_and_counted_by_slurm()
    {
        var env = Env((ShardSpec.SlurmIndex, "3"), (ShardSpec.SlurmMin, "1"), (ShardSpec.SlurmCount, "4"));

        Assert.Equal(new ShardSpec(2, 4), ShardSpec.Resolve(null, null, env));
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
