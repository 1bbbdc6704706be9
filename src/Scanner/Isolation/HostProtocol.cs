namespace MemScan.Scanner.Isolation;

/// <summary>
/// Run <see cref="Tokens"/>[r] after the host's state <see cref="Handles"/>[r] and keep each new
/// state under <see cref="FirstNewHandle"/> + r; first forget the states in <see cref="Releases"/>.
/// The scanner picks every handle, so the host can never hand it one it did not ask for.
/// <see cref="AnswerInRegion"/>: put the answer's floats in the shared <see cref="AnswerRegion"/>
/// (laid out as <see cref="AnswerLayout"/> says) and only their counts on the pipe.
/// </summary>
internal sealed record AdvanceRequest(long[] Handles, int[][] Tokens, long FirstNewHandle, bool WantTokenLogProbs, long[] Releases, bool AnswerInRegion = false);

/// <summary>
/// The host's answer: each new state's next-token log-probs, the per-token log-probs if asked
/// (index 0 is not the host's to know and is ignored), and how many bytes of states it now holds.
/// </summary>
internal sealed record AdvanceResult(float[][] NextLogProbs, float[][]? TokenLogProbs, long HeldBytes);

/// <summary>
/// How Advance requests and results are laid out on the pipe. The reading side of a result is the
/// scanner, which treats the host as hostile: every length is checked against what it asked for
/// before anything is allocated, and anything else is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class HostProtocol
{
    public static void WriteRequest(HostFrames f, AdvanceRequest request)
    {
        f.WriteInt((int)HostMessage.Advance);
        f.WriteBool(request.WantTokenLogProbs);
        f.WriteBool(request.AnswerInRegion);
        f.WriteLong(request.FirstNewHandle);
        f.WriteLongs(request.Releases);
        f.WriteLongs(request.Handles);
        foreach (var row in request.Tokens) f.WriteInts(row);
        f.Flush();
    }

    /// <summary>Reads the body of a request whose <see cref="HostMessage.Advance"/> was already read.</summary>
    public static AdvanceRequest ReadRequest(HostFrames f)
    {
        bool want = f.ReadBool();
        bool inRegion = f.ReadBool();
        long firstNew = f.ReadLong();
        var releases = f.ReadLongs();
        var handles = f.ReadLongs();
        var tokens = new int[handles.Length][];
        for (int r = 0; r < tokens.Length; r++) tokens[r] = f.ReadInts();
        return new AdvanceRequest(handles, tokens, firstNew, want, releases, inRegion);
    }

    /// <param name="region">Where the floats go when the request asked for that (null: on the pipe).</param>
    public static void WriteResult(HostFrames f, AdvanceRequest request, AdvanceResult result, MappedAnswerRegion? region)
    {
        if (request.AnswerInRegion && region is null) throw new InvalidDataException("asked to answer in a shared region that was never mapped");
        f.WriteInt((int)HostMessage.Result);
        f.WriteLong(result.HeldBytes);
        f.WriteBool(result.TokenLogProbs is not null);
        long offset = 0;
        foreach (var row in result.NextLogProbs) WriteRow(f, request.AnswerInRegion ? region : null, row, ref offset);
        if (result.TokenLogProbs is not null)
            foreach (var row in result.TokenLogProbs) WriteRow(f, request.AnswerInRegion ? region : null, row, ref offset);
        f.Flush();
    }

    static void WriteRow(HostFrames f, MappedAnswerRegion? region, float[] row, ref long offset)
    {
        if (region is null)
        {
            f.WriteFloats(row);
            return;
        }
        f.WriteInt(row.Length);
        region.Write(offset, row);
        offset += row.Length;
    }

    /// <summary>
    /// Reads the body of a result whose <see cref="HostMessage.Result"/> was already read, checking it
    /// answers <paramref name="request"/>. With <see cref="AdvanceRequest.AnswerInRegion"/> the floats
    /// are copied from <paramref name="region"/> at offsets computed here from the request alone;
    /// the host's counts are only compared with them.
    /// </summary>
    public static AdvanceResult ReadResult(HostFrames f, AdvanceRequest request, int vocab, AnswerRegion? region)
    {
        if (request.AnswerInRegion && region is null) throw new InvalidOperationException("a request answered in a region needs the region");
        long held = f.ReadLong();
        if (held < 0) throw new InvalidDataException($"model host claims to hold {held} bytes of states");
        bool hasTokenLogProbs = f.ReadBool();
        if (hasTokenLogProbs != request.WantTokenLogProbs)
            throw new InvalidDataException(hasTokenLogProbs ? "model host sent per-token log-probs nobody asked for" : "model host left out the per-token log-probs");
        var from = request.AnswerInRegion ? region : null;
        long offset = 0;
        var next = new float[request.Handles.Length][];
        for (int r = 0; r < next.Length; r++) next[r] = ReadRow(f, from, vocab, $"next-token log-probs of row {r}", ref offset);
        float[][]? tokenLogProbs = null;
        if (hasTokenLogProbs)
        {
            tokenLogProbs = new float[next.Length][];
            for (int r = 0; r < next.Length; r++)
                tokenLogProbs[r] = ReadRow(f, from, request.Tokens[r].Length, $"per-token log-probs of row {r}", ref offset);
        }
        return new AdvanceResult(next, tokenLogProbs, held);
    }

    static float[] ReadRow(HostFrames f, AnswerRegion? region, int expected, string what, ref long offset)
    {
        if (region is null) return f.ReadFloats(expected, what);
        var row = new float[f.ReadFloatCount(expected, what)];
        region.Read(offset, row);
        offset += expected;
        return row;
    }

    /// <summary>Scanner: asks the host to map a new answer region (it answers <see cref="ReadRegionMapped"/>).</summary>
    public static void WriteMapRegion(HostFrames f, string path, long bytes)
    {
        f.WriteInt((int)HostMessage.MapRegion);
        f.WriteString(path);
        f.WriteLong(bytes);
        f.Flush();
    }

    /// <summary>Host: the body of a <see cref="HostMessage.MapRegion"/> already read.</summary>
    public static (string Path, long Bytes) ReadMapRegion(HostFrames f) => (f.ReadString(), f.ReadLong());

    /// <summary>
    /// Scanner: whether the host mapped the region. A host that could not (it says Error) is no
    /// failure: answers just stay on the pipe. Anything else is a malformed answer.
    /// </summary>
    public static bool ReadRegionMapped(HostFrames f)
    {
        var message = (HostMessage)f.ReadInt();
        if (message == HostMessage.RegionMapped) return true;
        if (message == HostMessage.Error)
        {
            _ = f.ReadString();
            return false;
        }
        throw new InvalidDataException($"model host said {message} instead of mapping the answer region");
    }
}
