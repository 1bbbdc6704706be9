using MemScan.Scanner.Sweeps;

namespace MemScan.Scanner.Models;

/// <summary>
/// A <see cref="DecodeRequest"/> run one model call per generated token on the model it is given:
/// the loop every in-process model runs, the one the isolated host runs for the scanner, and the
/// per-token path through the host that the bench keeps for the before/after.
/// </summary>
internal static class PerTokenDecoding
{
    public static DecodeResult Run(LanguageModel model, DecodeRequest request)
    {
        int rows = request.States.Count, n = request.Tokens;
        var tokens = new int[rows][];
        var logProbs = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            tokens[r] = new int[n];
            logProbs[r] = new float[n];
        }
        if (n == 0) return new DecodeResult(tokens, logProbs);
        // Greedy asks for the top 1, top-k sampling for the top k: an isolated model then ships k ids and values per row.
        int topNext = request.TopNext(model.VocabSize);
        var states = Advance(model, request.States, request.Feed, topNext);
        var step = new int[rows][];
        for (int t = 0; t < n; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                var (token, logProb) = Pick(states[r], request.Sampling, r, t);
                tokens[r][t] = token;
                logProbs[r][t] = logProb;
                step[r] = [token];
            }
            if (t < n - 1) states = Advance(model, states, step, topNext);
        }
        return new DecodeResult(tokens, logProbs);
    }

    static LmState[] Advance(LanguageModel model, IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens, int topNext) =>
        topNext > 0 ? model.Advance(states, tokens, topNext) : model.Advance(states, tokens);

    /// <summary>The token row <paramref name="r"/> generates at its <paramref name="t"/>-th step, and its log-prob.</summary>
    static (int Token, float LogProb) Pick(LmState state, DecodeSampling? sampling, int r, int t) =>
        Pick(state.Top, state.Top is null ? state.NextLogProbs : [], sampling, r, t);

    /// <summary>
    /// As above, from the state's top k (<paramref name="top"/>) or, when null, its full log-softmax
    /// row: the one pick every decoding loop makes (<see cref="OnnxLanguageModel"/>'s included), so
    /// the loops cannot differ in which token they draw.
    /// </summary>
    internal static (int Token, float LogProb) Pick(TopNextLogProbs? top, ReadOnlySpan<float> fullRow, DecodeSampling? sampling, int r, int t)
    {
        if (sampling is null) return (top!.Tokens[0], top.LogProbs[0]);
        int at = sampling.FirstStep + t;
        double temperature = sampling.Temperature.At(at);
        double u = SampleRandom.Uniform(sampling.Seed, sampling.SampleIndices[r], SampleRandom.TokenStream, at);
        if (top is not null)
        {
            int token = TopKSampler.Sample(top, temperature, u);
            top.TryGet(token, out float logProb);
            return (token, logProb);
        }
        int drawn = TopKSampler.Sample(fullRow, sampling.TopK, temperature, u);
        return (drawn, fullRow[drawn]);
    }
}
