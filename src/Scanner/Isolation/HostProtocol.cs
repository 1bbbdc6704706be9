using MemScan.Scanner.Models;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// Run <see cref="Tokens"/>[r] after the host's state <see cref="Handles"/>[r] and keep each new
/// state under <see cref="FirstNewHandle"/> + r; first forget the states in <see cref="Releases"/>.
/// The scanner picks every handle, so the host can never hand it one it did not ask for.
/// <see cref="WantedNext"/>[r], when given, are the only next tokens whose log-probs row r's answer carries;
/// <see cref="TopNext"/> above 0 asks instead for each row's that many most likely next tokens.
/// </summary>
internal sealed record AdvanceRequest(long[] Handles, int[][] Tokens, long FirstNewHandle, bool WantTokenLogProbs, long[] Releases,
    int[][]? WantedNext = null, int TopNext = 0);

/// <summary>
/// The host's answer: each new state's next-token log-probs (the full row, the wanted tokens' in request order, or the top tokens' most likely first),
/// the top tokens' ids when those were asked for, the per-token log-probs if asked (index 0 is not the host's to know and is ignored),
/// and how many bytes of states it now holds.
/// </summary>
/// <param name="LargestRunBytes">The most bytes one model run in the host took so far (its run budget's count, see LanguageModel.RunBudgetBytes).</param>
internal sealed record AdvanceResult(float[][] NextLogProbs, float[][]? TokenLogProbs, long HeldBytes, int[][]? TopTokens = null, long LargestRunBytes = 0);

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
        f.WriteLong(request.FirstNewHandle);
        f.WriteLongs(request.Releases);
        f.WriteLongs(request.Handles);
        foreach (var row in request.Tokens) f.WriteInts(row);
        f.WriteBool(request.WantedNext is not null);
        if (request.WantedNext is not null)
            foreach (var row in request.WantedNext) f.WriteInts(row);
        f.WriteInt(request.TopNext);
        f.Flush();
    }

    /// <summary>Reads the body of a request whose <see cref="HostMessage.Advance"/> was already read.</summary>
    public static AdvanceRequest ReadRequest(HostFrames f)
    {
        bool want = f.ReadBool();
        long firstNew = f.ReadLong();
        var releases = f.ReadLongs();
        var handles = f.ReadLongs();
        var tokens = new int[handles.Length][];
        for (int r = 0; r < tokens.Length; r++) tokens[r] = f.ReadInts();
        int[][]? wanted = null;
        if (f.ReadBool())
        {
            wanted = new int[handles.Length][];
            for (int r = 0; r < wanted.Length; r++) wanted[r] = f.ReadInts();
        }
        int topNext = f.ReadInt();
        return new AdvanceRequest(handles, tokens, firstNew, want, releases, wanted, topNext);
    }

    public static void WriteResult(HostFrames f, AdvanceResult result)
    {
        f.WriteInt((int)HostMessage.Result);
        f.WriteLong(result.HeldBytes);
        f.WriteLong(result.LargestRunBytes);
        f.WriteBool(result.TokenLogProbs is not null);
        for (int r = 0; r < result.NextLogProbs.Length; r++)
        {
            if (result.TopTokens is not null) f.WriteInts(result.TopTokens[r]);
            f.WriteFloats(result.NextLogProbs[r]);
        }
        if (result.TokenLogProbs is not null)
            foreach (var row in result.TokenLogProbs) f.WriteFloats(row);
        f.Flush();
    }

    /// <summary>Reads the body of a result whose <see cref="HostMessage.Result"/> was already read, checking it answers <paramref name="request"/>.</summary>
    public static AdvanceResult ReadResult(HostFrames f, AdvanceRequest request, int vocab)
    {
        long held = f.ReadLong();
        if (held < 0) throw new InvalidDataException($"model host claims to hold {held} bytes of states");
        long largestRun = HostDecodeProtocol.ReadRunBytes(f);
        bool hasTokenLogProbs = f.ReadBool();
        if (hasTokenLogProbs != request.WantTokenLogProbs)
            throw new InvalidDataException(hasTokenLogProbs ? "model host sent per-token log-probs nobody asked for" : "model host left out the per-token log-probs");
        var next = new float[request.Handles.Length][];
        int[][]? top = request.TopNext > 0 ? new int[next.Length][] : null;
        int topCount = TopNextLogProbs.CountFor(request.TopNext, vocab);
        for (int r = 0; r < next.Length; r++)
        {
            if (top is not null) top[r] = f.ReadInts(topCount, $"top next-token ids of row {r}");
            next[r] = f.ReadFloats(top is not null ? topCount : request.WantedNext?[r].Length ?? vocab, $"next-token log-probs of row {r}");
            if (top is not null && TopNextLogProbs.Violation(top[r], next[r], request.TopNext, vocab) is { } violation)
                throw new InvalidDataException($"top {request.TopNext} next tokens of row {r}: {violation}");
        }
        float[][]? tokenLogProbs = null;
        if (hasTokenLogProbs)
        {
            tokenLogProbs = new float[next.Length][];
            for (int r = 0; r < next.Length; r++)
                tokenLogProbs[r] = f.ReadFloats(request.Tokens[r].Length, $"per-token log-probs of row {r}");
        }
        return new AdvanceResult(next, tokenLogProbs, held, top, largestRun);
    }
}
