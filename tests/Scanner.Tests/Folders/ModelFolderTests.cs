using MemScan.Scanner.Folders;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Folders;

/// <summary>
/// A model folder as published is read as one model: the file or pair it holds, config.json,
/// generation_config.json, genai_config.json and the tokenizer; layouts MemScan misread before
/// (static batch 1) give the log-probs of the plain graph.
/// </summary>
public sealed class ModelFolderTests : IDisposable
{
    const int Vocab = 7;
    readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    string Folder(string name)
    {
        string dir = _dir.File(name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    static float[][] LogProbs(LanguageModel lm) =>
        lm.TokenLogProbs([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], [0, 0, 1, 1, 2, 2]]);

    static void AssertSame(float[][] expected, float[][] actual)
    {
        for (int r = 0; r < expected.Length; r++)
            for (int t = 0; t < expected[r].Length; t++)
                Assert.True(Math.Abs(expected[r][t] - actual[r][t]) <= 1e-5, $"row {r} token {t}: {actual[r][t]} vs {expected[r][t]}");
    }

    [Fact]
    public void Config_json_gives_context_vocabulary_special_ids_and_heads()
    {
        string dir = Folder("config");
        CacheSumOnnxModel.Write(Path.Combine(dir, "model.onnx"), Vocab);
        File.WriteAllText(Path.Combine(dir, "config.json"), """
            { "model_type": "llama", "vocab_size": 7, "max_position_embeddings": 64, "n_positions": 12,
              "num_attention_heads": 8, "num_key_value_heads": 2, "bos_token_id": 1, "eos_token_id": [2, 3] }
            """);
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), """{ "eos_token_id": 5, "max_length": 20 }""");

        var folder = ModelFolder.Load(dir);
        Assert.Equal("single file", folder.Layout);
        Assert.Equal((64, "config.json max_position_embeddings"), folder.Context);
        Assert.Equal((8, 2), folder.Heads);
        Assert.Equal([1], folder.BosIds);
        Assert.Equal([5], folder.EosIds); // generation_config.json wins, as generate() reads it
        using var lm = OnnxLanguageModel.Open(dir);
        Assert.Equal(64, lm.MaxSequenceLength);
        Assert.Equal("config.json max_position_embeddings", lm.MaxSequenceLengthSource);
    }

    [Fact]
    public void The_decoder_pair_runs_the_first_step_without_past_and_equals_the_single_file()
    {
        string single = CacheSumOnnxModel.Write(_dir.File("single.onnx"), Vocab);
        string dir = Folder("pair");
        CacheSumOnnxModel.Write(Path.Combine(dir, ModelFolder.WithoutPast), Vocab, withPast: false);
        CacheSumOnnxModel.Write(Path.Combine(dir, ModelFolder.WithPast), Vocab);

        using var plain = OnnxLanguageModel.Open(single);
        using var pair = OnnxLanguageModel.Open(dir);
        Assert.Contains("first step through decoder_model.onnx", pair.Mode);
        AssertSame(LogProbs(plain), LogProbs(pair));
    }

    [Fact]
    public void A_static_batch_1_export_runs_row_by_row_instead_of_taking_the_past_axis_for_the_batch()
    {
        string dynamic = CacheSumOnnxModel.Write(_dir.File("dynamic.onnx"), Vocab);
        string fixedBatch = CacheSumOnnxModel.Write(_dir.File("static.onnx"), Vocab, staticBatch: true);
        using var plain = OnnxLanguageModel.Open(dynamic);
        using var one = OnnxLanguageModel.Open(fixedBatch);
        Assert.Contains("static batch 1 (rows run one at a time)", one.Mode);
        AssertSame(LogProbs(plain), LogProbs(one));
        Assert.Equal(plain.Queries, one.Queries);
    }

    [Fact]
    public void Genai_config_names_the_file_the_caches_and_the_context()
    {
        string dir = Folder("genai");
        CacheSumOnnxModel.Write(Path.Combine(dir, "decoder.onnx"), Vocab, past: "cache_read.0", present: "cache_written.0");
        File.WriteAllText(Path.Combine(dir, "genai_config.json"), """
            { "model": { "context_length": 40, "vocab_size": 7, "eos_token_id": [3],
              "decoder": { "filename": "decoder.onnx", "num_hidden_layers": 1,
                "inputs": { "input_ids": "input_ids", "past_key_names": "cache_read.%d", "past_value_names": "unused_in.%d" },
                "outputs": { "logits": "logits", "present_key_names": "cache_written.%d" } } } }
            """);
        // The names are no pair MemScan would guess: only genai_config.json makes the cache known.
        Assert.Throws<MemScanException>(() => OnnxLanguageModel.Open(Path.Combine(dir, "decoder.onnx")));
        using var lm = OnnxLanguageModel.Open(dir);
        Assert.True(lm.Incremental);
        Assert.Equal((40, "genai_config.json context_length"), (lm.MaxSequenceLength!.Value, lm.MaxSequenceLengthSource));
        Assert.StartsWith("ONNX Runtime GenAI decoder (decoder.onnx)", ModelFolder.Load(dir).Layout);
    }

    [Fact]
    public void The_folder_tokenizer_is_tokenizer_json_first_then_the_files_a_folder_tokenizer_reads()
    {
        string dir = Folder("tokenizers");
        CacheSumOnnxModel.Write(Path.Combine(dir, "model.onnx"), Vocab);
        Assert.Null(ModelFolder.Load(dir).TokenizerSpec);
        File.WriteAllText(Path.Combine(dir, "vocab.json"), "{}");
        File.WriteAllText(Path.Combine(dir, "merges.txt"), "");
        Assert.Equal(Path.GetFullPath(dir), ModelFolder.Load(dir).TokenizerSpec);
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{}");
        // Handed to --tokenizer's resolution as a path, as the user would give it.
        Assert.Equal(Path.Combine(Path.GetFullPath(dir), "tokenizer.json"), ModelFolder.Load(dir).TokenizerSpec);
    }

    [Fact]
    public void A_folder_with_tokenizer_json_is_scanned_with_it_through_the_tokenizer_json_reader()
    {
        string dir = Folder("tokenizer-json");
        CacheSumOnnxModel.Write(Path.Combine(dir, "model.onnx"), Vocab);
        string fixture = Path.Combine(AppContext.BaseDirectory, "Tokenizers", "Fixtures", "t5-unigram.tokenizer.json");
        File.Copy(fixture, Path.Combine(dir, "tokenizer.json"));
        var folder = ModelFolder.Load(dir);
        var tokenizer = TokenizerSelection.For(null, null, null, folder.TokenizerSpec);
        Assert.Equal(TokenizerSelection.For(null, null, fixture).Describe().Replace("t5-unigram.tokenizer.json", "tokenizer.json"), tokenizer.Describe());
        Assert.Equal(TokenizerSelection.For(null, null, fixture).Encode("the vault code is 1234"), tokenizer.Encode("the vault code is 1234"));
        var line = Assert.Single(ModelInspection.Of(dir).Lines, l => l.Label == "tokenizer").Text;
        Assert.EndsWith("(from tokenizer-json/tokenizer.json)", line);
        Assert.DoesNotContain("refused", line);
    }

    [Fact]
    public void Onnx_files_in_an_onnx_subfolder_are_found_under_the_json_files_as_on_the_hub()
    {
        string dir = Folder("hub");
        Directory.CreateDirectory(Path.Combine(dir, "onnx"));
        CacheSumOnnxModel.Write(Path.Combine(dir, "onnx", ModelFolder.Merged), Vocab);
        File.WriteAllText(Path.Combine(dir, "config.json"), """{ "n_positions": 32 }""");
        var folder = ModelFolder.Load(dir);
        Assert.Equal(Path.Combine(Path.GetFullPath(dir), "onnx", ModelFolder.Merged), folder.ModelPath);
        Assert.Equal((32, "config.json n_positions"), folder.Context);
    }

    [Fact]
    public void Folders_without_a_model_it_can_use_are_refused_naming_what_was_looked_for()
    {
        string empty = Folder("empty");
        Assert.Contains("holds no ONNX model (looked for decoder_model_merged.onnx, model.onnx", Assert.Throws<MemScanException>(() => ModelFolder.Load(empty)).Message);
        string other = Folder("other");
        CacheSumOnnxModel.Write(Path.Combine(other, "model_quantized.onnx"), Vocab);
        Assert.Contains("holds model_quantized.onnx but none of", Assert.Throws<MemScanException>(() => ModelFolder.Load(other)).Message);
        string half = Folder("half-pair");
        CacheSumOnnxModel.Write(Path.Combine(half, ModelFolder.WithPast), Vocab);
        Assert.Contains("without decoder_model.onnx: the first step (an empty past) needs the decoder without past",
            Assert.Throws<MemScanException>(() => ModelFolder.Load(half)).Message);
    }

    [Fact]
    public void Inspect_says_what_each_input_is_for_and_where_context_and_tokenizer_come_from()
    {
        string dir = Folder("inspect");
        CacheSumOnnxModel.Write(Path.Combine(dir, "model.onnx"), Vocab);
        File.WriteAllText(Path.Combine(dir, "config.json"), """{ "max_position_embeddings": 16, "num_attention_heads": 4, "num_key_value_heads": 1 }""");
        var inspection = ModelInspection.Of(dir);
        Assert.Null(inspection.Refusal);
        string Line(string label) => Assert.Single(inspection.Lines, l => l.Label == label).Text;
        Assert.Equal("16 tokens (from config.json max_position_embeddings)", Line("context"));
        Assert.Equal("4 attention heads, 1 key/value heads (grouped-query attention)", Line("heads"));
        Assert.Contains(inspection.Lines, l => l.Label == "input" && l.Text.StartsWith("past_key_values.0.key: float[batch, 1, past, 3]  state → present.0.key (key/value cache"));
        Assert.StartsWith("none found: pass --tokenizer", Line("tokenizer"));
        Assert.StartsWith(OnnxSession.GpuBuild ? "cpu (--device cuda would need CUDA 13" : "cpu (this build has no CUDA provider", Line("device"));
    }

    [Fact]
    public void Inspect_of_a_model_with_an_input_nothing_feeds_refuses_with_advice_that_leads_somewhere()
    {
        var g = new OnnxGraphBuilder("needs_type_ids");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("token_type_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInitializer("table", new float[Vocab * Vocab], [Vocab, Vocab]);
        g.AddNode("Gather", ["table", g.Apply("Add", ["input_ids", "token_type_ids"])], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", Vocab);
        string path = _dir.File("type-ids.onnx");
        g.Save(path);

        var inspection = ModelInspection.Of(path);
        Assert.Contains("token_type_ids is no input a causal language model needs and no output carries its next value; re-export the model without it", inspection.Refusal);
        Assert.DoesNotContain("profile", inspection.Refusal); // no profile field can name it
        Assert.Contains(inspection.Lines, l => l.Label == "graph"); // what was understood before the refusal
    }
}
