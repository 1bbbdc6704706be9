using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Bench;

/// <summary>
/// Generated tokens per second of the scanner's own decoders, discoverable's greedy decoding and
/// a top-k sweep's sampling, in-process and through the isolated model host: what the host's
/// answers per row (the full vocabulary, or only the top k) cost a decoder.
/// </summary>
public static class IsolatedDecodeBench
{
    public static IReadOnlyList<Measured> Run(BenchModel m, OnnxSessionOptions options, int newTokens)
    {
        var rows = new List<Measured>();
        using (var inProcess = OnnxLanguageModel.Open(m.OnnxPath, null, options))
            Measure("in-process", inProcess, m, newTokens, rows);
        using (var isolated = IsolatedLanguageModel.Open(m.OnnxPath, null, options))
            Measure("isolated", isolated, m, newTokens, rows);
        return rows;
    }

    static void Measure(string where, LanguageModel lm, BenchModel m, int newTokens, List<Measured> rows)
    {
        // The tokenizer only names the start text's one token (id 1): the decoders never decode text.
        var tokenizer = CharTokenizer.Create("\0a");
        int batch = m.Prompts.Length;
        double greedy = Timing.BestSeconds(() => new DiscoverableProbe(lm, tokenizer, new DiscoverableSettings()).GreedyDecode(m.Prompts, newTokens), repetitions: 3);
        rows.Add(new Measured($"greedy (discoverable), batch {batch}, {where}", batch * newTokens / greedy, $"{newTokens} tokens, {greedy:F2}s"));
        var settings = new SweepSettings { Tokens = newTokens, TopK = DecodeBench.TopK, Seed = 1 };
        var prompts = PromptSource.Start("a", tokenizer);
        double sampled = Timing.BestSeconds(() => new SweepGenerator(lm, prompts, settings).Generate(0, batch), repetitions: 3);
        rows.Add(new Measured($"top-{DecodeBench.TopK} sweep, batch {batch}, {where}", batch * newTokens / sampled, $"{newTokens} tokens, {sampled:F2}s"));
    }
}
