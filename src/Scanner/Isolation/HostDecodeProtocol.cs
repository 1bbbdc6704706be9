using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// Run a <see cref="DecodeRequest"/> from the host's states <see cref="Handles"/>[r], in batches of at
/// most <see cref="MaxBatch"/> rows as the scanner's side would split them; first forget the states in
/// <see cref="Releases"/>. The loop's own states die in the host: no handle is taken.
/// </summary>
internal sealed record DecodeLoopRequest(long[] Handles, int[][] Feed, int Tokens, DecodeSampling? Sampling, int MaxBatch, long[] Releases);

/// <summary>
/// How decoding loops are laid out on the pipe. As for Advance (<see cref="HostProtocol"/>), the
/// scanner reads the host's answer as hostile: counts are checked before anything is allocated,
/// every token must be in the vocabulary and no log-prob above 0 (what can be checked without the model).
/// </summary>
internal static class HostDecodeProtocol
{
    public static void WriteRequest(HostFrames f, DecodeLoopRequest request)
    {
        f.WriteInt((int)HostMessage.Decode);
        f.WriteLongs(request.Releases);
        f.WriteLongs(request.Handles);
        foreach (var row in request.Feed) f.WriteInts(row);
        f.WriteInt(request.Tokens);
        f.WriteInt(request.MaxBatch);
        f.WriteBool(request.Sampling is not null);
        if (request.Sampling is { } s)
        {
            f.WriteLong(s.Seed);
            f.WriteLongs(s.SampleIndices);
            f.WriteInt(s.TopK);
            f.WriteInt(s.FirstStep);
            // Doubles as their bits: the host must draw at exactly the scanner's temperatures.
            f.WriteLong(BitConverter.DoubleToInt64Bits(s.Temperature.Final));
            f.WriteBool(s.Temperature.Start is not null);
            f.WriteLong(BitConverter.DoubleToInt64Bits(s.Temperature.Start ?? 0));
            f.WriteInt(s.Temperature.DecayTokens);
        }
        f.Flush();
    }

    /// <summary>Reads the body of a request whose <see cref="HostMessage.Decode"/> was already read.</summary>
    public static DecodeLoopRequest ReadRequest(HostFrames f)
    {
        var releases = f.ReadLongs();
        var handles = f.ReadLongs();
        var feed = new int[handles.Length][];
        for (int r = 0; r < feed.Length; r++) feed[r] = f.ReadInts();
        int tokens = f.ReadInt();
        int maxBatch = f.ReadInt();
        DecodeSampling? sampling = null;
        if (f.ReadBool())
        {
            long seed = f.ReadLong();
            var indices = f.ReadLongs();
            int topK = f.ReadInt(), firstStep = f.ReadInt();
            double final = BitConverter.Int64BitsToDouble(f.ReadLong());
            bool hasStart = f.ReadBool();
            double start = BitConverter.Int64BitsToDouble(f.ReadLong());
            int decay = f.ReadInt();
            sampling = new DecodeSampling(seed, indices, new TemperatureSchedule(final, hasStart ? start : null, decay), topK, firstStep);
        }
        return new DecodeLoopRequest(handles, feed, tokens, sampling, maxBatch, releases);
    }

    public static void WriteResult(HostFrames f, DecodeResult result, long heldBytes, long largestRunBytes)
    {
        f.WriteInt((int)HostMessage.Result);
        f.WriteLong(heldBytes);
        f.WriteLong(largestRunBytes);
        for (int r = 0; r < result.Tokens.Length; r++)
        {
            f.WriteInts(result.Tokens[r]);
            f.WriteFloats(result.LogProbs[r]);
        }
        f.Flush();
    }

    /// <summary>Reads the body of a result whose <see cref="HostMessage.Result"/> was already read, checking it can answer <paramref name="request"/>.</summary>
    /// <summary>The host's largest run so far, in bytes (after the held bytes in every result).</summary>
    public static long ReadRunBytes(HostFrames f)
    {
        long bytes = f.ReadLong();
        if (bytes < 0) throw new InvalidDataException($"model host claims a run of {bytes} bytes");
        return bytes;
    }

    public static (DecodeResult Result, long HeldBytes, long LargestRunBytes) ReadResult(HostFrames f, DecodeLoopRequest request, int vocab)
    {
        long held = f.ReadLong();
        if (held < 0) throw new InvalidDataException($"model host claims to hold {held} bytes of states");
        long largestRun = ReadRunBytes(f);
        int rows = request.Handles.Length;
        var tokens = new int[rows][];
        var logProbs = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            tokens[r] = f.ReadInts(request.Tokens, $"decoded tokens of row {r}");
            logProbs[r] = f.ReadFloats(request.Tokens, $"decoded log-probs of row {r}");
            for (int t = 0; t < request.Tokens; t++)
            {
                if ((uint)tokens[r][t] >= (uint)vocab)
                    throw new InvalidDataException($"decoded token {t} of row {r} is {tokens[r][t]}, outside the vocabulary of {vocab}");
                // NaN (a NaN row's arg-max) and -inf pass: the per-token path returns them too.
                if (logProbs[r][t] > 0)
                    throw new InvalidDataException($"decoded token {t} of row {r} has log-prob {logProbs[r][t]}, above 0");
            }
        }
        return (new DecodeResult(tokens, logProbs), held, largestRun);
    }
}
