using System.Text;
using System.Text.Json;
using MemScan.Scanner;
using MemScan.Scanner.Corpora;
using Microsoft.ML.Tokenizers;

namespace MemScan.Trainer.Training;

/// <summary>
/// Opens GPT-2's byte-level BPE from its <c>vocab.json</c> exactly as GPT-2 tokenizes, through
/// Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/> with the "gpt2" pre-tokenizer.
/// </summary>
/// <remarks>
/// Not <c>CodeGenTokenizer.Create</c>: it adds CodeGen's whitespace tokens, so runs of 2–31 spaces
/// or tabs become ids 50257–50294 (and the following word loses its leading space), which no GPT-2
/// model knows ("Hello    world" → 15496, 50284, 6894 instead of GPT-2's 15496, 220, 220, 220, 995);
/// e-mail text is full of such runs. GPT-2's vocabulary ids are the tiktoken ranks of r50k_base
/// (byte tokens in bytes_to_unicode order, then one id per merge in merges.txt order), so the rank
/// file is rebuilt from vocab.json alone; the result equals r50k_base token for token.
/// </remarks>
public static class Gpt2Encoding
{
    public const string EndOfText = "<|endoftext|>";

    public static Tokenizer Open(Gpt2TokenizerFiles files)
    {
        Dictionary<string, int>? vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(files.VocabPath));
        }
        catch (JsonException e)
        {
            throw new MemScanException($"{files.VocabPath} is not a GPT-2 vocabulary (token → id JSON): {e.Message}");
        }
        if (vocab is null || vocab.Count == 0) throw new MemScanException($"{files.VocabPath} is an empty vocabulary");

        var byteOf = ByteLevelAlphabet();
        var ranks = new StringBuilder();
        foreach (var (token, id) in vocab.OrderBy(kv => kv.Value))
        {
            if (token == EndOfText) continue; // a special token, added by CreateForModel("gpt2")
            var bytes = new byte[token.Length];
            for (int i = 0; i < token.Length; i++)
                bytes[i] = byteOf.TryGetValue(token[i], out byte b) ? b
                    : throw new MemScanException($"{files.VocabPath}: token '{token}' (id {id}) is not in GPT-2's byte-level alphabet");
            ranks.Append(Convert.ToBase64String(bytes)).Append(' ').Append(id).Append('\n');
        }
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ranks.ToString()));
        return TiktokenTokenizer.CreateForModel("gpt2", stream);
    }

    /// <summary>GPT-2's bytes_to_unicode, inverted: printable bytes stand for themselves, the others for U+0100 onwards.</summary>
    static Dictionary<char, byte> ByteLevelAlphabet()
    {
        var byteOf = new Dictionary<char, byte>(256);
        int shifted = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            byteOf[(char)(printable ? b : 256 + shifted++)] = (byte)b;
        }
        return byteOf;
    }
}
