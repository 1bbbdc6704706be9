using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Sweeps;

namespace MemScan.Bench;

/// <summary>
/// The decoding loop that feeds presents back as the next past (<see cref="OnnxLanguageModel.FeedPresentsBack"/>)
/// against the per-token loop it replaced (<c>--only decodeloop</c>): greedy and top-40 sampled, batch
/// 8 and 32, in process and with the loop in the isolated host (the host's per-token loop selected by
/// <see cref="ModelHostServer.PerTokenDecodingVariable"/>). The four variants run in interleaved rounds
/// so a neighbour's load hits them alike; every variant must produce the same tokens, which the bench checks.
/// </summary>
public static class DecodeLoopBench
{
    const int NewTokens = 32, PromptLength = 16, TopK = 40;

    public static void Run(BenchModel m, OnnxSessionOptions options, double peak, TextWriter log)
    {
        using var perToken = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        perToken.FeedPresentsBack = false;
        using var loop = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        Environment.SetEnvironmentVariable(ModelHostServer.PerTokenDecodingVariable, "1");
        IsolatedLanguageModel hostPerToken;
        try
        {
            hostPerToken = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelHostServer.PerTokenDecodingVariable, null);
        }
        using var _ = hostPerToken;
        using var hostLoop = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        using var watched = HostLoopBench.WatchHosts(hostPerToken.ChildProcessId, hostLoop.ChildProcessId);
        LanguageModel[] variants = [perToken, loop, hostPerToken, hostLoop];
        string[] names = ["in-process, token by token (before)", "in-process, presents fed back (now)", "isolated, token by token in the host (before)", "isolated, presents fed back in the host (now)"];

        var rows = new List<Measured>();
        foreach (int batch in new[] { 8, 32 })
        {
            var prompts = DecodeThroughput.Prompts(batch, PromptLength, perToken.VocabSize);
            double gflop = DecodeThroughput.Flops(m.FlopsPerToken, batch, PromptLength, NewTokens) / 1e9;
            foreach (bool sampled in new[] { false, true })
            {
                var sampling = sampled ? new DecodeSampling(1, Enumerable.Range(0, batch).Select(i => (long)i).ToArray(), new TemperatureSchedule(1.0), TopK) : null;
                var results = new DecodeResult[variants.Length];
                var seconds = HostLoopBench.Interleaved(variants.Select((lm, v) => (Action)(() =>
                    results[v] = lm.Decode(new DecodeRequest(Enumerable.Repeat(lm.Initial, batch).ToArray(), prompts, NewTokens, sampling)))).ToArray());
                var cpu = HostLoopBench._lastCpu;
                for (int v = 1; v < variants.Length; v++)
                    if (!results[v].Tokens.Zip(results[0].Tokens).All(p => p.First.SequenceEqual(p.Second)))
                        throw new InvalidOperationException($"{names[v]} decoded other tokens than {names[0]} ({(sampled ? "sampled" : "greedy")}, batch {batch})");
                string mode = sampled ? $"top-{TopK}" : "greedy";
                for (int v = 0; v < variants.Length; v++)
                {
                    int before = v < 2 ? 0 : 2;
                    string vs = v % 2 == 1 ? $"{seconds[before] / seconds[v]:F2}x its before; " : "";
                    rows.Add(new($"{mode}, batch {batch}, {names[v]}", batch * NewTokens / seconds[v],
                        $"{vs}{seconds[v]:F2}s, CPU {cpu[v]:F2}s, {gflop / seconds[v]:F1} GFLOP/s ({gflop / seconds[v] / peak:P0} of the MatMul peak)"));
                }
            }
        }
        Table.Print(log, $"Decoding loop feeding presents back vs token by token, {m.Name}, {NewTokens} new tokens after {PromptLength}-token prompts " +
                         "(FLOPs: prompt and fed-back tokens, attention over the positions before each)", "tokens/s", rows, ("vs greedy b8 before", 0));
    }
}
