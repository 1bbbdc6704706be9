using System.Diagnostics;
using System.Text;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Isolation;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// Mutated ONNX models, tokenizer files, manifests and Parquet tables, generated from valid ones:
/// every input must either load or end in a <see cref="MemScanException"/> (a clear message, exit
/// code 2 in the CLI); any other exception is a bug. The counts are docs/RELIABILITY.md's, asserted exactly.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>Runs <paramref name="load"/> on <paramref name="count"/> mutations; returns (loaded, refused).</summary>
    (int Loaded, int Refused) Fuzz(string name, byte[] valid, int count, int seed, Action<string> load)
    {
        var mutator = new Mutator(seed);
        int loaded = 0, refused = 0;
        for (int i = 0; i < count; i++)
        {
            string path = _dir.File($"{i}-{name}");
            var bytes = mutator.Mutate(valid);
            if (Environment.GetEnvironmentVariable("FUZZ_TRACE") is not null) { Console.WriteLine($"{name} {i}"); File.WriteAllBytes("/tmp/fuzz-last", bytes); }
            File.WriteAllBytes(path, bytes);
            try
            {
                load(path);
                loaded++;
            }
            catch (MemScanException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.DoesNotContain('\n', e.Message.TrimEnd());
                refused++;
            }
            catch (Exception e)
            {
                File.WriteAllBytes(_dir.File("crash-" + name), bytes);
                Assert.Fail($"mutation {i} of {name} threw {e.GetType().Name}: {e.Message}");
            }
            File.Delete(path);
        }
        Console.WriteLine($"fuzz {name}: {count} mutations, {loaded} loaded, {refused} refused with a clear error");
        return (loaded, refused);
    }

    [Fact]
    public void Mutated_onnx_models_are_inspected_or_refused_with_a_clear_error()
    {
        var valid = File.ReadAllBytes(BigramOnnxModel.Write(_dir.File("valid.onnx"), vocab: 16));
        // seeded mutations of a deterministic file: the counts docs/RELIABILITY.md prints, exactly
        Assert.Equal((213, 1287), Fuzz("model.onnx", valid, 1500, seed: 1, path => OnnxModelInfo.Load(path)));
    }

    [Fact]
    public void Mutated_onnx_models_loaded_by_onnx_runtime_in_the_model_host_never_take_the_scanner_down()
    {
        // The full load (ONNX Runtime included) runs in the isolated host: a native crash there is a
        // MemScanException here. Fewer cases: each one starts a process.
        var valid = File.ReadAllBytes(BigramOnnxModel.Write(_dir.File("valid.onnx"), vocab: 16));
        Assert.Equal((7, 17), Fuzz("hosted.onnx", valid, 24, seed: 2, path =>
        {
            using var model = IsolatedLanguageModel.Open(path);
            model.Advance([model.Initial], [[1, 2, 3]]);
        }));
    }

    [Fact]
    public void Mutated_manifests_are_read_or_refused_with_a_clear_error()
    {
        var manifest = new ModelManifest
        {
            Architecture = "char-lstm",
            ModelFile = "model.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = "\0abc0123456789 " },
            Canaries = [CanaryRecord.From(Canary.Create("c", "abc {secret}", "123456", RandomnessSpace.Parse("digits:6"), 4))],
            Samples = new SampleFiles { Members = "samples/members.txt" },
        };
        string path = _dir.File("valid.memscan.json");
        manifest.Save(path);
        Assert.Equal((91, 1409), Fuzz("model.memscan.json", File.ReadAllBytes(path), 1500, seed: 3, p =>
        {
            var m = ModelManifest.Load(p);
            if (m.Tokenizer is { } spec) TokenizerFactory.FromSpec(spec, Path.GetDirectoryName(p)!);
        }));
    }

    [Fact]
    public void Mutated_gpt2_tokenizer_files_are_loaded_or_refused_with_a_clear_error()
    {
        // A small but real byte-level BPE: the first 300 merges of GPT-2 and the tokens they need.
        var files = MemScan.Scanner.Corpora.Gpt2TokenizerFiles.LocateDefault();
        var merges = File.ReadLines(files.MergesPath).Take(301).ToList();
        File.WriteAllLines(_dir.File("merges.txt"), merges);
        var vocab = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(files.VocabPath))!;
        var small = vocab.Where(kv => kv.Value < 256 + 300).ToDictionary();
        byte[] vocabBytes = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(small));
        File.WriteAllBytes(_dir.File("vocab.json"), vocabBytes);
        Gpt2BpeTokenizer.Create(_dir.File("vocab.json"), _dir.File("merges.txt")).Encode("the thing");

        Assert.Equal((0, 200), Fuzz("vocab.json", vocabBytes, 200, seed: 4, p => Gpt2BpeTokenizer.Create(p, _dir.File("merges.txt")).Encode("hello there")));
        Assert.Equal((2, 198), Fuzz("merges.txt", File.ReadAllBytes(_dir.File("merges.txt")), 200, seed: 5, p => Gpt2BpeTokenizer.Create(_dir.File("vocab.json"), p).Encode("hello there")));
    }

    [Fact]
    public void Mutated_wordpiece_vocabularies_are_loaded_or_refused_with_a_clear_error()
    {
        // A small but real WordPiece vocabulary: BERT-uncased's specials and its first 600 word tokens plus continuations.
        var lines = File.ReadLines(MemScan.Scanner.Tests.Tokenizers.FetchedTokenizers.BertVocabPath).ToList();
        var small = lines.Take(104).Concat(lines.Skip(1996).Take(600)).Concat(lines.Where(l => l.StartsWith("##")).Take(300)).Distinct();
        byte[] valid = Encoding.UTF8.GetBytes(string.Join("\n", small) + "\n");
        File.WriteAllBytes(_dir.File("vocab.txt"), valid);
        WordPieceTextTokenizer.Create(_dir.File("vocab.txt")).Encode("the thing");

        Assert.Equal((63, 237), Fuzz("vocab.txt", valid, 300, seed: 7, p =>
        {
            var tokenizer = WordPieceTextTokenizer.Create(p);
            var ids = tokenizer.Encode("The thing, [MASK] said: unaffable\n123 ✓");
            tokenizer.Decode(ids);
        }));
    }

    [Fact]
    public void Mutated_tokenizer_json_files_are_loaded_or_refused_with_a_clear_error()
    {
        // Small but complete: a byte-level BPE with a Sequence pre-tokenizer, NFC, added token and decoder,
        // and a Llama-style one (Prepend/Replace normalizer, byte fallback, TemplateProcessing, ByteFallback decoder).
        byte[] byteLevel = Encoding.UTF8.GetBytes(HostileTokenizerJsonTests.Valid());
        byte[] byteFallback = Encoding.UTF8.GetBytes(HostileTokenizerJsonTests.Valid(
            "{\"type\":\"BPE\",\"byte_fallback\":true,\"fuse_unk\":true,\"unk_token\":\"<unk>\",\"vocab\":{\"<unk>\":0,\"<s>\":1," +
            string.Join(",", Enumerable.Range(0, 256).Select(b => $"\"<0x{b:X2}>\":{b + 2}")) + ",\"\u2581\":258,\"a\":259,\"b\":260,\"\u2581a\":261,\"ab\":262}," +
            "\"merges\":[\"\u2581 a\",\"a b\"]}")
            .Replace("{\"type\":\"NFC\"}", "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Prepend\",\"prepend\":\"\u2581\"},{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"\u2581\"}]}")
            .Replace("\"id\":258,", "\"id\":1,")
            .Replace("\"post_processor\":{\"type\":\"ByteLevel\"}", "\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"<s>\"}},{\"Sequence\":{\"id\":\"A\"}}],\"special_tokens\":{\"<s>\":{\"ids\":[1]}}}")
            .Replace("\"decoder\":{\"type\":\"ByteLevel\"}", "\"decoder\":{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"\u2581\"},\"content\":\" \"},{\"type\":\"ByteFallback\"},{\"type\":\"Fuse\"},{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":0}]}")
            .Replace(HostileTokenizerJsonTests.PreTokenizer, "null"));
        const string text = "ab abab <|end|><s> ✓ 😀 \u00e9\n\t x"; // precomposed: NFC keeps it
        foreach (var valid in new[] { byteLevel, byteFallback })
        {
            var path = _dir.File("valid-tokenizer.json");
            File.WriteAllBytes(path, valid);
            var tokenizer = MemScan.Scanner.Tokenizers.HuggingFace.HuggingFaceTokenizer.Create(path);
            // (Llama-style Prepend puts a ▁ after each added token, which decodes as a space: round-trip the plain part)
            Assert.Equal(text.Replace("<|end|><s>", ""), tokenizer.Decode(tokenizer.Encode(text.Replace("<|end|><s>", ""))));
        }

        var counts = new[] { (byteLevel, 8), (byteFallback, 9) }.Select(c => Fuzz("tokenizer.json", c.Item1, 300, c.Item2, p =>
        {
            var tokenizer = MemScan.Scanner.Tokenizers.HuggingFace.HuggingFaceTokenizer.Create(p);
            tokenizer.Decode(tokenizer.EncodeWithSpecialTokens(text));
            tokenizer.Decode([0, 1, 2, 258, 1_000_000, -1]);
        })).ToList();
        Assert.Equal([(4, 296), (13, 287)], counts);
    }

    [Fact]
    public async Task Mutated_findings_tables_are_read_or_refused_with_a_clear_error()
    {
        string path = _dir.File("findings.parquet");
        await FindingsTable.WriteAsync(path, Enumerable.Range(0, 20).Select(i => new Finding
        {
            Probe = "exposure", Subject = $"c{i}", Severity = Severity.High, Score = i, ScoreName = "exposure_bits",
            // a fixed time: the file's bytes, and so the mutations' outcomes, are the same every run
            Evidence = "evidence " + i, Secret = "12345" + i, Rank = i + 1, Queries = 10, CreatedUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        }));
        Assert.Equal((24, 576), Fuzz("findings.parquet", File.ReadAllBytes(path), 600, seed: 6, p => FindingsTable.ReadAsync(p).GetAwaiter().GetResult()));
    }
}
