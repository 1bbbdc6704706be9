using MemScan.Scanner.Models;

namespace MemScan.Scanner.Isolation;

/// <summary>Score every position of <see cref="Sequences"/> from the initial state, in batches of at most <see cref="MaxBatch"/> rows; first forget the states in <see cref="Releases"/>.</summary>
internal sealed record ScoringLoopRequest(int[][] Sequences, int MaxBatch, long[] Releases);

/// <summary>
/// How scoring loops (<see cref="LanguageModel.ScorePositions"/>) are laid out on the pipe. The
/// answer is read as hostile, as for Advance and decoding loops: counts checked before anything
/// is allocated, no log-prob above 0 (NaN passes: a NaN row gives NaN in process too). The
/// standardized scores travel as their bits: the scanner must see the host's doubles exactly.
/// </summary>
internal static class HostScoringProtocol
{
    public static void WriteRequest(HostFrames f, ScoringLoopRequest request)
    {
        f.WriteInt((int)HostMessage.ScorePositions);
        f.WriteLongs(request.Releases);
        f.WriteInt(request.Sequences.Length);
        foreach (var s in request.Sequences) f.WriteInts(s);
        f.WriteInt(request.MaxBatch);
        f.Flush();
    }

    /// <summary>Reads the body of a request whose <see cref="HostMessage.ScorePositions"/> was already read.</summary>
    public static ScoringLoopRequest ReadRequest(HostFrames f)
    {
        var releases = f.ReadLongs();
        int count = f.ReadInt();
        if (count < 0) throw new InvalidDataException($"scoring request of {count} sequences");
        var sequences = new int[count][];
        for (int i = 0; i < count; i++) sequences[i] = f.ReadInts();
        return new ScoringLoopRequest(sequences, f.ReadInt(), releases);
    }

    public static void WriteResult(HostFrames f, PositionScores[] scores, long heldBytes, long largestRunBytes)
    {
        f.WriteInt((int)HostMessage.Result);
        f.WriteLong(heldBytes);
        f.WriteLong(largestRunBytes);
        foreach (var s in scores)
        {
            f.WriteFloats(s.LogProbs);
            f.WriteLongs(s.Standardized.Select(BitConverter.DoubleToInt64Bits).ToArray());
        }
        f.Flush();
    }

    /// <summary>Reads the body of a result whose <see cref="HostMessage.Result"/> was already read, checking it answers <paramref name="request"/>.</summary>
    public static (PositionScores[] Scores, long HeldBytes, long LargestRunBytes) ReadResult(HostFrames f, ScoringLoopRequest request)
    {
        long held = f.ReadLong();
        if (held < 0) throw new InvalidDataException($"model host claims to hold {held} bytes of states");
        long largestRun = HostDecodeProtocol.ReadRunBytes(f);
        var scores = new PositionScores[request.Sequences.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            int positions = request.Sequences[i].Length - 1;
            var logProbs = f.ReadFloats(positions, $"log-probs of sequence {i}");
            for (int t = 0; t < positions; t++)
                if (logProbs[t] > 0)
                    throw new InvalidDataException($"position {t + 1} of sequence {i} has log-prob {logProbs[t]}, above 0");
            var bits = f.ReadLongs(positions, $"Min-K%++ scores of sequence {i}");
            scores[i] = new PositionScores(logProbs, bits.Select(BitConverter.Int64BitsToDouble).ToArray());
        }
        return (scores, held, largestRun);
    }
}
