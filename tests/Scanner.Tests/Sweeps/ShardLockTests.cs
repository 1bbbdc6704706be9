using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>Two writers of one shard would duplicate rows: the second is refused while the first holds the lock, and let in after.</summary>
public class ShardLockTests
{
    [Fact]
    public void A_second_writer_of_a_shard_is_refused_until_the_first_lets_go()
    {
        using var dir = new TempFolder();
        string shard = dir.File("shard=0003");
        using (ShardLock.Acquire(shard, 3))
        {
            var e = Assert.Throws<MemScanException>(() => ShardLock.Acquire(shard, 3));
            Assert.Contains($"shard 3 ({shard}) is being written by another process", e.Message);
        }
        ShardLock.Acquire(shard, 3).Dispose();
    }
}
