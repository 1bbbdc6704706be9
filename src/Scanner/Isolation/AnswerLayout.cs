namespace MemScan.Scanner.Isolation;

/// <summary>
/// Where an answer's floats lie in the shared answer region: every row's next-token log-probs in
/// row order, then (if asked) every row's per-token log-probs, back to back from offset 0. Both
/// sides walk it in that order; the scanner sizes the region from the request with <see cref="Floats"/>.
/// </summary>
internal static class AnswerLayout
{
    public static long Floats(AdvanceRequest request, int vocab)
    {
        long floats = (long)request.Handles.Length * vocab;
        if (request.WantTokenLogProbs)
            foreach (var row in request.Tokens) floats += row.Length;
        return floats;
    }
}
