using MemScan.Scanner;
using MemScan.Scanner.Similarity;
using MemScan.Trainer.Snapshots;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>memscan compare on char-LSTMs (recurrent layers, the default probe text) and what it refuses.</summary>
public class LmCompareInputsTests
{
    [Fact]
    public void Char_lstm_snapshots_compare_on_their_recurrent_output_and_logits_over_the_held_out_samples()
    {
        string dir = TinyModels.TempDir("compare-lstm");
        var trained = LmPipeline.Run(TinyModels.Config(steps: 20, hidden: 16) with { Threads = 1, SnapshotEvery = 10 }, dir, TextWriter.Null);
        var log = new List<string>();
        var result = CompareRun.Run(new ComparePlan
        {
            Models = [Path.Combine(SnapshotFolder.PathOf(dir, 10), "model.onnx"), trained.ModelPath],
            OutDir = Path.Combine(dir, "compare"), Windows = 4, WindowTokens = 16, Threads = 1,
        }, log.Add);

        Assert.Equal(["rnn0", "logits"], result.Rows.Where(r => r.LayerIndexB == 0).Select(r => r.LayerA));
        Assert.All(result.Rows, r => Assert.Equal(4 * 16, r.Examples));
        Assert.Equal(16, result.Rows.First(r => r.LayerA == "rnn0").FeaturesA);
        Assert.Contains(log, l => l.Contains("non-members.txt") && l.Contains("64 rows, one per token"));
        // the last snapshot is the final model: it is the trained model compared with itself
        var self = CompareRun.Run(new ComparePlan
        {
            Models = [Path.Combine(SnapshotFolder.PathOf(dir, 20), "model.onnx"), trained.ModelPath],
            OutDir = Path.Combine(dir, "self"), Windows = 4, WindowTokens = 16, Threads = 1,
        });
        Assert.All(self.Rows.Where(r => r.LayerIndexA == r.LayerIndexB), r => Assert.Equal(1.0, r.Cka, 9));
    }

    [Fact]
    public void A_char_lstm_and_a_gpt_tokenize_differently_and_are_refused_in_one_line()
    {
        string lstm = LmPipeline.Run(TinyModels.Config(steps: 2, hidden: 8) with { Threads = 1 }, TinyModels.TempDir("cmp-lstm"), TextWriter.Null).ModelPath;
        string gpt = GptPipeline.Run(new GptTrainConfig
        {
            Corpus = MemScan.Scanner.Corpora.CorpusPaths.MobyDick, MaxChars = 20_000, Steps = 2, BatchSize = 2, SequenceLength = 16, Context = 32,
            Dim = 16, Layers = 1, Heads = 2, Seed = 11, Threads = 1,
        }, TinyModels.TempDir("cmp-gpt"), TextWriter.Null).ModelPath;

        var e = Assert.Throws<MemScanException>(() => CompareRun.Run(new ComparePlan
        {
            Models = [lstm, gpt], OutDir = TinyModels.TempDir("cmp-out"), Windows = 2, WindowTokens = 16, Threads = 1,
        }));
        Assert.Contains("tokenizes the probe text differently", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
