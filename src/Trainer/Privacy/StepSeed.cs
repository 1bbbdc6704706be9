namespace MemScan.Trainer.Privacy;

/// <summary>
/// A 31-bit seed for the randomness of one training step, mixed from the run's seed, the step and a
/// per-purpose salt (SplitMix64 finalizer). Drawing each step's batch, noise and dropout from its own
/// seed is what makes resumed runs identical without saving RNG state.
/// </summary>
public static class StepSeed
{
    public static int For(int seed, long step, int salt)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)step * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)salt * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFF_FFFF);
    }
}
