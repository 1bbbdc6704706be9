using MemScan.Scanner;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Results;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Training;

/// <summary>
/// The GPT pipeline on real prose with the real GPT-2 tokenizer files, shrunk to seconds: a tiny
/// model over the full 50,257-token vocabulary, a handful of steps.
/// </summary>
public class GptPipelineTests
{
    static GptTrainConfig Tiny(int seed = 11) => new()
    {
        Corpus = CorpusPaths.MobyDick,
        MaxChars = 20_000,
        Steps = 6,
        BatchSize = 4,
        SequenceLength = 16,
        Context = 32,
        Dim = 16,
        Layers = 1,
        Heads = 2,
        Seed = seed,
        // One torch thread: on a shared 2-core machine more threads wait on each other (10× slower).
        Threads = 1,
        Canaries = [new CanaryPlan.Request("c8", "the vault code is {secret}\n", "digits:6", 8)],
    };

    [Fact]
    public void Writes_model_manifest_and_tokenizer_files_that_the_scanner_adapter_runs()
    {
        string dir = TinyModels.TempDir("gpt-pipeline");
        var log = new StringWriter();
        var output = GptPipeline.Run(Tiny(), dir, log);

        Assert.Contains("tokens/s", log.ToString());
        var manifest = ModelManifest.Load(output.ManifestPath);
        Assert.Equal("gpt", manifest.Architecture);
        Assert.Equal("gpt2-bpe", manifest.Tokenizer!.Kind);
        Assert.Equal(["vocab.json", "merges.txt"], manifest.Tokenizer.Files);
        var files = Gpt2TokenizerFiles.Locate(Path.GetDirectoryName(output.ManifestPath)!);
        Assert.Equal(RunInfo.ComputeSha256(Gpt2TokenizerFiles.LocateDefault().VocabPath), RunInfo.ComputeSha256(files.VocabPath));
        Assert.Equal(["past_key_values.0.key", "past_key_values.0.value"], manifest.Io!.State.Select(s => s.Input));
        Assert.Equal(GptShape.Gpt2Vocab, (int)manifest.Hyper["vocab"]);
        Assert.Equal("c8", Assert.Single(manifest.Canaries).Id);

        // The scanner side: the manifest's tensor names, GPT-2 tokenization, incremental decoding.
        var tokenizer = MemScan.Scanner.Scanning.TokenizerSelection.For(manifest, output.ManifestPath, null);
        Assert.IsType<MemScan.Scanner.Tokenizers.Gpt2BpeTokenizer>(tokenizer);
        var ids = tokenizer.Encode(manifest.LoadCanaries()[0].Text);
        using var lm = OnnxLanguageModel.Open(output.ModelPath, manifest.Io);
        Assert.Equal(GptShape.Gpt2Vocab, lm.VocabSize);
        Assert.True(lm.Incremental);
        var whole = lm.TokenLogProbs([ids])[0];
        var state = lm.Advance([lm.Initial], [ids[..3]])[0];
        lm.Advance([state], [ids[3..]], out var rest);
        for (int t = 3; t < ids.Length; t++)
            Assert.True(Math.Abs(whole[t - 1] - rest[0][t - 3]) <= 1e-4, $"token {t}: {whole[t - 1]} vs {rest[0][t - 3]}");
    }

    [Fact]
    public void The_exported_gpt_context_is_in_the_manifest_and_read_from_the_graph_without_it_and_enforced()
    {
        var output = GptPipeline.Run(Tiny(), TinyModels.TempDir("gpt-context"), TextWriter.Null);
        Assert.Equal(32, output.Manifest.Io!.Context);

        // No manifest: the rows of wpe, the table position_ids index, are the context.
        using var lm = OnnxLanguageModel.Open(output.ModelPath);
        Assert.Equal(32, lm.MaxSequenceLength);
        Assert.Equal("position table wpe.weight [32, 16]", lm.MaxSequenceLengthSource);

        // The whole context runs; one token more is refused by MemScan, not by ONNX Runtime's Gather,
        // whether fed at once or one token after a full cache.
        var tokens = Enumerable.Range(100, 33).ToArray();
        var full = lm.Advance([lm.Initial], [tokens[..32]])[0];
        var atOnce = Assert.Throws<MemScanException>(() => lm.Advance([lm.Initial], [tokens]));
        Assert.Equal($"{output.ModelPath}: cannot feed 33 token(s) after 0: 33 tokens exceed the model's context of 32 tokens " +
                     "(from position table wpe.weight [32, 16])", atOnce.Message);
        var oneMore = Assert.Throws<MemScanException>(() => lm.Advance([full], [[tokens[32]]]));
        Assert.Contains("cannot feed 1 token(s) after 32: 33 tokens exceed the model's context of 32 tokens", oneMore.Message);
        Assert.DoesNotContain("ONNX Runtime", oneMore.Message);
    }

    [Fact]
    public void Same_seed_gives_the_same_model_and_another_seed_a_different_one()
    {
        var a = GptPipeline.Run(Tiny(), TinyModels.TempDir("gpt-seed-a"), TextWriter.Null);
        var b = GptPipeline.Run(Tiny(), TinyModels.TempDir("gpt-seed-b"), TextWriter.Null);
        var c = GptPipeline.Run(Tiny(seed: 12), TinyModels.TempDir("gpt-seed-c"), TextWriter.Null);
        Assert.Equal(a.Manifest.ModelSha256, b.Manifest.ModelSha256);
        Assert.Equal(a.Training.FinalLoss, b.Training.FinalLoss);
        Assert.NotEqual(a.Manifest.ModelSha256, c.Manifest.ModelSha256);
    }
}
