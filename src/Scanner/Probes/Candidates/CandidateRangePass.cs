using MemScan.Scanner.Canaries;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>
/// Candidates of one group of a <see cref="CandidateRangePass"/>: how many, the hull of their
/// indices, and the first two whose token path ends with the group's token.
/// </summary>
public sealed class CandidateGroup
{
    public long Count;
    public long Min = long.MaxValue;
    public long Max = -1;
    public long Ends;
    public long FirstEnding = -1, SecondEnding = -1;
    /// <summary>Longest full encoding (prefix + candidate, in tokens) seen in the group.</summary>
    public int LongestEncoding;

    public void Add(long candidate, bool ends, int encodingLength)
    {
        Count++;
        Min = Math.Min(Min, candidate);
        Max = Math.Max(Max, candidate);
        LongestEncoding = Math.Max(LongestEncoding, encodingLength);
        if (!ends) return;
        Ends++;
        KeepEnding(candidate);
    }

    public void Merge(CandidateGroup other)
    {
        Count += other.Count;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        LongestEncoding = Math.Max(LongestEncoding, other.LongestEncoding);
        Ends += other.Ends;
        if (other.FirstEnding >= 0) KeepEnding(other.FirstEnding);
        if (other.SecondEnding >= 0) KeepEnding(other.SecondEnding);
    }

    /// <summary>Keeps the two lowest ending candidates, so the pass's result does not depend on how work was split.</summary>
    void KeepEnding(long candidate)
    {
        if (FirstEnding < 0 || candidate < FirstEnding) (FirstEnding, SecondEnding) = (candidate, FirstEnding);
        else if (SecondEnding < 0 || candidate < SecondEnding) SecondEnding = candidate;
    }
}

/// <summary>
/// One streaming pass over a contiguous range of a space's candidates: each is encoded together
/// with the prefix (as <see cref="CandidateTokenization"/> does), classified by a key, and only the
/// per-key <see cref="CandidateGroup"/> totals are kept, so memory does not grow with the range.
/// Why streaming: a 10^8 space tokenized and stored would take gigabytes.
/// </summary>
public static class CandidateRangePass
{
    /// <summary>Candidates one worker takes at a time.</summary>
    const int Chunk = 2048;

    /// <summary>A candidate's key and whether its token path ends with the keyed token; null leaves it out.</summary>
    public delegate (long Key, bool Ends)? Classifier(int[] encoding);

    /// <summary>Time between two <see cref="Progress"/> reports of a long pass.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    /// <summary>A long pass's progress: candidates encoded so far and the time it has taken.</summary>
    public delegate void Progress(long encoded, TimeSpan elapsed);

    /// <param name="progress">Called every <paramref name="reportEvery"/> (default <see cref="ProgressEvery"/>) while the pass runs, from one worker at a time, with counts that only grow; never for a pass shorter than that.</param>
    public static Dictionary<long, CandidateGroup> Run(ITextTokenizer tokenizer, string prefix, RandomnessSpace space,
        long from, long to, Classifier classify, Progress? progress = null, TimeSpan? reportEvery = null)
    {
        long every = (reportEvery ?? ProgressEvery).Ticks;
        var total = new Dictionary<long, CandidateGroup>();
        long chunks = (to - from + Chunk - 1) / Chunk;
        var gate = new object();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long encoded = 0, nextReport = every, reported = 0;
        Parallel.For(0L, chunks, () => new Dictionary<long, CandidateGroup>(), (c, _, local) =>
        {
            long start = from + c * Chunk, end = Math.Min(to, start + Chunk);
            // Neighbouring candidates mostly share a group: look it up only when the key changes.
            long lastKey = long.MinValue;
            CandidateGroup? group = null;
            for (long i = start; i < end; i++)
            {
                var encoding = tokenizer.Encode(TextOf(prefix, space, i));
                if (classify(encoding) is not var (key, ends)) continue;
                if (key != lastKey || group is null)
                {
                    if (!local.TryGetValue(key, out group)) local[key] = group = new CandidateGroup();
                    lastKey = key;
                }
                group.Add(i, ends, encoding.Length);
            }
            Interlocked.Add(ref encoded, end - start);
            if (progress is not null && clock.Elapsed.Ticks >= Interlocked.Read(ref nextReport))
                lock (gate)
                {
                    // The count is read under the lock, not taken from the Add above: a worker that
                    // added first may reach the lock last, and its older count would go backwards.
                    long done = Interlocked.Read(ref encoded);
                    if (clock.Elapsed.Ticks >= nextReport && done > reported)
                    {
                        progress(done, clock.Elapsed);
                        reported = done;
                        Interlocked.Exchange(ref nextReport, clock.Elapsed.Ticks + every);
                    }
                }
            return local;
        }, local =>
        {
            lock (gate)
                foreach (var (key, group) in local)
                {
                    if (total.TryGetValue(key, out var existing)) existing.Merge(group);
                    else total[key] = group;
                }
        });
        return total;
    }

    /// <summary>Prefix + candidate i written into one new string (not two, as prefix + At(i) would).</summary>
    static string TextOf(string prefix, RandomnessSpace space, long index) =>
        string.Create(prefix.Length + space.Length, (prefix, space.Alphabet, index), static (text, s) =>
        {
            s.prefix.CopyTo(text);
            long rest = s.index;
            for (int k = text.Length - 1; k >= s.prefix.Length; k--)
            {
                text[k] = s.Alphabet[(int)(rest % s.Alphabet.Length)];
                rest /= s.Alphabet.Length;
            }
        });
}
