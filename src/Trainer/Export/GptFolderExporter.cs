using System.Text.Json;
using MemScan.Scanner.Onnx;
using MemScan.Trainer.Models;

namespace MemScan.Trainer.Export;

/// <summary>Which ONNX files a model folder holds, as Hugging Face Optimum publishes decoders.</summary>
public enum GptFolderLayout
{
    /// <summary><c>model.onnx</c> with past_key_values.</summary>
    SingleFile,
    /// <summary><c>decoder_model_merged.onnx</c> with <c>use_cache_branch</c>.</summary>
    Merged,
    /// <summary><c>decoder_model.onnx</c> (first step) + <c>decoder_with_past_model.onnx</c>.</summary>
    Pair,
}

/// <summary>
/// Writes a <see cref="GptLm"/> as a model folder the way third-party decoders are published: the
/// ONNX file(s) of <see cref="GptFolderLayout"/>, <c>config.json</c> (context as
/// <c>max_position_embeddings</c>, vocabulary, heads and key/value heads, GPT-2's bos/eos id),
/// <c>generation_config.json</c>, optionally ONNX Runtime GenAI's <c>genai_config.json</c>, and the
/// GPT-2 tokenizer files when given.
/// </summary>
public static class GptFolderExporter
{
    /// <summary>GPT-2's &lt;|endoftext|&gt;, its bos and eos.</summary>
    public const int EndOfText = 50256;

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <param name="writeConfig">Write config.json (a rotary model without it has no known context).</param>
    /// <param name="tokenizerFiles">vocab.json and merges.txt to copy beside the model, or null.</param>
    public static void Export(GptLm model, string dir, GptFolderLayout layout, GptExportOptions? options = null,
        bool writeConfig = true, bool writeGenAiConfig = false, (string Vocab, string Merges)? tokenizerFiles = null)
    {
        options ??= GptExportOptions.Default;
        Directory.CreateDirectory(dir);
        switch (layout)
        {
            case GptFolderLayout.SingleFile:
                GptOnnxExporter.Export(model, Path.Combine(dir, "model.onnx"), options);
                break;
            case GptFolderLayout.Merged:
                GptOnnxExporter.ExportMerged(model, Path.Combine(dir, "decoder_model_merged.onnx"), options);
                break;
            case GptFolderLayout.Pair:
                GptOnnxExporter.ExportWithoutPast(model, Path.Combine(dir, "decoder_model.onnx"), options);
                GptOnnxExporter.Export(model, Path.Combine(dir, "decoder_with_past_model.onnx"), options);
                break;
        }
        var s = model.Shape;
        if (writeConfig) WriteConfig(s, dir, options.Precision);
        Write(Path.Combine(dir, "generation_config.json"), new Dictionary<string, object> { ["bos_token_id"] = EndOfText, ["eos_token_id"] = EndOfText });
        if (writeGenAiConfig)
            Write(Path.Combine(dir, "genai_config.json"), new Dictionary<string, object>
            {
                ["model"] = new Dictionary<string, object>
                {
                    ["bos_token_id"] = EndOfText,
                    ["eos_token_id"] = EndOfText,
                    ["context_length"] = s.Context,
                    ["vocab_size"] = s.Vocab,
                    ["type"] = "gpt2",
                    ["decoder"] = new Dictionary<string, object>
                    {
                        ["filename"] = layout == GptFolderLayout.Merged ? "decoder_model_merged.onnx" : "model.onnx",
                        ["head_size"] = s.HeadDim,
                        ["hidden_size"] = s.Dim,
                        ["num_attention_heads"] = s.Heads,
                        ["num_key_value_heads"] = s.KeyValueHeads,
                        ["num_hidden_layers"] = s.Layers,
                        ["inputs"] = new Dictionary<string, string>
                        {
                            ["input_ids"] = GptOnnxExporter.InputIds,
                            ["attention_mask"] = GptOnnxExporter.AttentionMask,
                            ["position_ids"] = GptOnnxExporter.PositionIds,
                            ["past_key_names"] = "past_key_values.%d.key",
                            ["past_value_names"] = "past_key_values.%d.value",
                        },
                        ["outputs"] = new Dictionary<string, string>
                        {
                            ["logits"] = GptOnnxExporter.Logits,
                            ["present_key_names"] = "present.%d.key",
                            ["present_value_names"] = "present.%d.value",
                        },
                    },
                },
            });
        if (tokenizerFiles is { } files) CopyTokenizer(files, dir);
    }

    /// <summary>config.json as Hugging Face writes it: the context as max_position_embeddings, heads and key/value heads, GPT-2's special ids.</summary>
    public static void WriteConfig(GptShape s, string dir, OnnxElementType precision = OnnxElementType.Float) =>
        Write(Path.Combine(dir, "config.json"), new Dictionary<string, object>
        {
            ["architectures"] = new[] { "MemScanGptLm" },
            ["model_type"] = "memscan-gpt",
            ["vocab_size"] = s.Vocab,
            ["max_position_embeddings"] = s.Context,
            ["hidden_size"] = s.Dim,
            ["num_hidden_layers"] = s.Layers,
            ["num_attention_heads"] = s.Heads,
            ["num_key_value_heads"] = s.KeyValueHeads,
            ["rope_theta"] = s.Rotary ? GptShape.RotaryBase : 0,
            ["torch_dtype"] = precision switch { OnnxElementType.Float16 => "float16", OnnxElementType.BFloat16 => "bfloat16", _ => "float32" },
            ["bos_token_id"] = EndOfText,
            ["eos_token_id"] = EndOfText,
        });

    /// <summary>Copies GPT-2's vocab.json and merges.txt into <paramref name="dir"/>.</summary>
    public static void CopyTokenizer((string Vocab, string Merges) files, string dir)
    {
        File.Copy(files.Vocab, Path.Combine(dir, "vocab.json"), overwrite: true);
        File.Copy(files.Merges, Path.Combine(dir, "merges.txt"), overwrite: true);
    }

    static void Write(string path, object value) => File.WriteAllText(path, JsonSerializer.Serialize(value, Indented) + "\n");
}
