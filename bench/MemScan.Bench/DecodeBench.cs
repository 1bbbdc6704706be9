using MemScan.Scanner.Models;

namespace MemScan.Bench;

/// <summary>
/// Generated tokens per second, greedy and top-k sampled, with the model's state carried (LSTM
/// state / past key-values: one new token per run) and without (every step re-runs the whole
/// history from <see cref="LanguageModel.Initial"/>, i.e. past length 0: what a full-sequence
/// export costs). The same ONNX file and session serve both, and greedy decoding must produce
/// identical tokens both ways, which the bench checks.
/// </summary>
public static class DecodeBench
{
    public const int TopK = 40;

    public static IReadOnlyList<Measured> Run(LanguageModel model, int[][] prompts, int newTokens)
    {
        var rows = new List<Measured>();
        int[][]? greedyCached = null, greedyFull = null;
        foreach (int batch in new[] { 1, prompts.Length })
        {
            var p = prompts.Take(batch).ToArray();
            rows.Add(Measure($"greedy, batch {batch}, past carried", model, p, newTokens, cached: true, ArgMax, out greedyCached));
            rows.Add(Measure($"greedy, batch {batch}, history re-run", model, p, newTokens, cached: false, ArgMax, out greedyFull));
            for (int i = 0; i < batch; i++)
                if (!greedyCached[i].SequenceEqual(greedyFull[i]))
                    throw new InvalidOperationException($"greedy decoding differs with and without the past on prompt {i}");
        }
        var random = new Random(7);
        rows.Add(Measure($"top-{TopK} sampled, batch {prompts.Length}, past carried", model, prompts, newTokens, cached: true, lp => SampleTopK(lp, random), out _));
        rows.Add(Measure($"top-{TopK} sampled, batch {prompts.Length}, history re-run", model, prompts, newTokens, cached: false, lp => SampleTopK(lp, random), out _));
        return rows;
    }

    static Measured Measure(string name, LanguageModel model, int[][] prompts, int newTokens, bool cached, Func<float[], int> pick, out int[][] output)
    {
        int[][] produced = [];
        double s = Timing.BestSeconds(() => produced = Decode(model, prompts, newTokens, cached, pick), repetitions: 3);
        output = produced;
        int generated = prompts.Length * newTokens;
        return new Measured(name, generated / s, $"{newTokens} tokens after {prompts[0].Length}-token prompts, {s:F2}s");
    }

    static int[][] Decode(LanguageModel model, int[][] prompts, int newTokens, bool cached, Func<float[], int> pick)
    {
        var histories = prompts.Select(p => p.ToList()).ToArray();
        var states = model.Advance(Enumerable.Repeat(model.Initial, prompts.Length).ToArray(), prompts);
        for (int t = 0; t < newTokens; t++)
        {
            var next = states.Select(s => pick(s.NextLogProbs)).ToArray();
            for (int i = 0; i < next.Length; i++) histories[i].Add(next[i]);
            if (t == newTokens - 1) break;
            states = cached
                ? model.Advance(states, next.Select(n => new[] { n }).ToArray())
                : model.Advance(Enumerable.Repeat(model.Initial, prompts.Length).ToArray(), histories.Select(h => h.ToArray()).ToArray());
        }
        return histories.Select((h, i) => h.Skip(prompts[i].Length).ToArray()).ToArray();
    }

    static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Samples from the k most likely tokens, renormalized (temperature 1).</summary>
    static int SampleTopK(float[] logProbs, Random random)
    {
        var top = new PriorityQueue<int, float>(TopK + 1);
        for (int i = 0; i < logProbs.Length; i++)
        {
            top.Enqueue(i, logProbs[i]);
            if (top.Count > TopK) top.Dequeue();
        }
        var ids = new int[top.Count];
        var weights = new double[top.Count];
        double sum = 0;
        for (int k = 0; top.TryDequeue(out int id, out float lp); k++)
        {
            ids[k] = id;
            weights[k] = Math.Exp(lp);
            sum += weights[k];
        }
        double u = random.NextDouble() * sum;
        for (int k = 0; k < ids.Length; k++)
        {
            u -= weights[k];
            if (u <= 0) return ids[k];
        }
        return ids[^1];
    }
}
