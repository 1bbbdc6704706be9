namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Counter-based randomness for sweeps: every draw is a pure function of (seed, sample index,
/// stream, step). A stateful generator would make sample i depend on how many samples the same
/// process drew before it, i.e. on the shard layout and on restarts; this makes resume exact.
/// </summary>
public static class SampleRandom
{
    /// <summary>Stream of the token draws of a sample.</summary>
    public const int TokenStream = 1;
    /// <summary>Stream of the prompt choice of a sample.</summary>
    public const int PromptStream = 2;

    /// <summary>A 64-bit hash of the four counters (SplitMix64 finalizer applied after each one).</summary>
    public static ulong Hash(long seed, long sampleIndex, int stream, int step)
    {
        ulong h = Mix(0x9E3779B97F4A7C15UL ^ (ulong)seed);
        h = Mix(h ^ (ulong)sampleIndex);
        h = Mix(h ^ (uint)stream);
        return Mix(h ^ (uint)step);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public static double Uniform(long seed, long sampleIndex, int stream, int step) =>
        (Hash(seed, sampleIndex, stream, step) >> 11) * (1.0 / (1UL << 53));

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
