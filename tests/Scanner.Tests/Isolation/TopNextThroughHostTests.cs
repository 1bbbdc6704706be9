using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// Greedy decoding asks for the top 1 next token and top-k sampling for the top k; through the
/// isolated host (which then ships only those ids and values) their results must be bitwise those
/// of the full rows in process, on a vocabulary as wide as GPT-2's.
/// </summary>
public sealed class TopNextThroughHostTests : IDisposable
{
    const int Gpt2Vocab = 50_257;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    string Gpt2SizedModel() => FactoredBigramOnnxModel.Write(_dir.File("factored.onnx"), Gpt2Vocab);

    /// <summary>
    /// A model that answers every request with full rows, whatever was asked: the consumers then
    /// take their full-row paths, as they did before top-k answers existed.
    /// </summary>
    sealed class FullRowsOnly(LanguageModel inner) : LanguageModel
    {
        public override int VocabSize => inner.VocabSize;
        public override bool Incremental => inner.Incremental;
        public override LmState Initial => inner.Initial;
        protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs) =>
            tokenLogProbs is null ? inner.Advance(states, tokens) : Fill(inner.Advance(states, tokens, out var lp), lp, tokenLogProbs);
        protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext) =>
            AdvanceBatch(states, tokens, tokenLogProbs);
        static LmState[] Fill(LmState[] states, float[][] from, float[][] to)
        {
            for (int r = 0; r < to.Length; r++) from[r].AsSpan(1).CopyTo(to[r].AsSpan(1));
            return states;
        }
        public override void Dispose() { }
    }

    /// <summary>Greedy decoding over full rows with the arg-max it used before top-1 answers.</summary>
    static int[][] GreedyOverFullRows(LanguageModel model, int[][] prompts, int tokens)
    {
        var states = model.Advance(Enumerable.Repeat(model.Initial, prompts.Length).ToArray(), prompts);
        var output = prompts.Select(_ => new int[tokens]).ToArray();
        for (int t = 0; t < tokens; t++)
        {
            for (int i = 0; i < prompts.Length; i++)
            {
                var row = states[i].NextLogProbs;
                int best = 0;
                for (int v = 1; v < row.Length; v++) if (row[v] > row[best]) best = v;
                output[i][t] = best;
            }
            if (t < tokens - 1) states = model.Advance(states, output.Select(o => new[] { o[t] }).ToArray());
        }
        return output;
    }

    [Fact]
    public void Greedy_decoding_through_the_host_with_top_one_answers_equals_in_process_full_rows()
    {
        string path = Gpt2SizedModel();
        int[][] prompts = [[464, 3290, 7], [50_256], [1, 2, 3, 4], [25_000, 12]];
        using var inProcess = OnnxLanguageModel.Open(path);
        using var isolated = IsolatedLanguageModel.Open(path);
        var expected = GreedyOverFullRows(inProcess, prompts, 12);
        var settings = new DiscoverableSettings();
        var tokenizer = CharTokenizer.Create("\0ab");
        Assert.Equal(expected, new DiscoverableProbe(isolated, tokenizer, settings).GreedyDecode(prompts, 12));
        Assert.Equal(expected, new DiscoverableProbe(inProcess, tokenizer, settings).GreedyDecode(prompts, 12));
    }

    [Theory]
    [InlineData(40, 1.0)]
    [InlineData(1, 1.0)]
    [InlineData(5, 0.7)]
    public void Top_k_sweep_samples_through_the_host_equal_in_process_full_rows(int topK, double temperature)
    {
        string path = Gpt2SizedModel();
        var settings = new SweepSettings { Tokens = 10, TopK = topK, Temperature = TemperatureSchedule.Constant(temperature), Seed = 11 };
        var prompts = PromptSource.Start("ab", CharTokenizer.Create("\0ab"));
        using var inProcess = OnnxLanguageModel.Open(path);
        using var isolated = IsolatedLanguageModel.Open(path);
        var expected = new SweepGenerator(new FullRowsOnly(inProcess), prompts, settings).Generate(3, 6);
        foreach (LanguageModel model in new LanguageModel[] { isolated, inProcess })
        {
            var actual = new SweepGenerator(model, prompts, settings).Generate(3, 6);
            for (int s = 0; s < expected.Count; s++)
            {
                Assert.Equal(expected[s].Tokens, actual[s].Tokens);
                Assert.Equal(expected[s].LogProbs.Select(BitConverter.SingleToInt32Bits), actual[s].LogProbs.Select(BitConverter.SingleToInt32Bits));
                // The prompt state keeps its full row: the lowercase score feeds any token after it.
                Assert.Equal(Gpt2Vocab, actual[s].PromptState.NextLogProbs.Length);
            }
        }
    }

    [Fact]
    public void A_top_k_state_is_a_clear_error_for_a_token_outside_its_top_k()
    {
        using var isolated = IsolatedLanguageModel.Open(Gpt2SizedModel());
        var state = isolated.Advance([isolated.Initial], [[1, 2]], topNext: 3)[0];
        Assert.Equal(3, state.Top!.Tokens.Length);
        int outside = Enumerable.Range(0, Gpt2Vocab).First(t => !state.Top.Tokens.Contains(t));
        Assert.Contains("most likely", Assert.Throws<InvalidOperationException>(() => state.NextLogProb(outside)).Message);
        Assert.Throws<InvalidOperationException>(() => state.NextLogProbs);
    }
}
