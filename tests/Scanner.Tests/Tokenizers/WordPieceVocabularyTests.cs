using System.Text;
using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

/// <summary>Vocabulary files that are not a WordPiece vocab.txt are refused in one line that names the file and the problem.</summary>
public sealed class WordPieceVocabularyTests : IDisposable
{
    readonly TempDirectory _dir = new();
    public void Dispose() => _dir.Dispose();

    MemScanException Refused(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<MemScanException>(() => WordPieceTextTokenizer.Create(path));
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    MemScanException Refused(string name, string text) => Refused(name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Missing_and_empty_files_are_refused()
    {
        var missing = Path.Combine(_dir.Path, "absent.txt");

        Assert.Contains("does not exist", Assert.Throws<MemScanException>(() => WordPieceTextTokenizer.Create(missing)).Message);
        Assert.Contains("is empty", Refused("empty.txt", "").Message);
    }

    [Fact]
    public void The_packages_json_vocabulary_is_refused_with_the_way_to_a_vocab_txt()
    {
        var e = Refused("vocab.json", "[\"[PAD]\",\"\u2581\",\"[unused1]\",\"[UNK]\"]");

        Assert.Contains("looks like JSON", e.Message);
        Assert.Contains("corpora/fetch.sh bert", e.Message);
        Assert.Contains("looks like JSON", Refused("tokenizer.json", "{\"model\": {\"type\": \"WordPiece\"}}").Message);
    }

    [Fact]
    public void Binary_and_non_utf8_files_are_refused()
    {
        Assert.Contains("binary file", Refused("tokenizer.model", [0x0A, 0x05, 0x00, 0x01, 0x5B, 0x55]).Message);
        Assert.Contains("is not UTF-8 text", Refused("latin1.txt", [(byte)'[', (byte)'U', (byte)'N', (byte)'K', (byte)']', 0x0A, 0xE9, 0x0A]).Message);
    }

    [Fact]
    public void A_file_without_unk_such_as_gpt2_merges_is_refused()
    {
        var e = Refused("merges.txt", "#version: 0.2\nĠ t\nĠ a\nh e\n");

        Assert.Contains("has no [UNK] line (4 lines read)", e.Message);
    }

    [Fact]
    public void Repeated_tokens_and_holes_in_the_ids_are_refused_with_their_lines()
    {
        Assert.Contains("line 4 repeats the token \"the\" of line 2", Refused("repeat.txt", "[UNK]\nthe\n##s\nthe\n").Message);
        Assert.Contains("line 3 is empty", Refused("hole.txt", "[UNK]\nthe\n\n##s\n").Message);
        Assert.Contains("repeats the token \"\\u001B[31m\"", Refused("escape.txt", "[UNK]\n\u001b[31m\n\u001b[31m\n").Message);
    }

    [Fact]
    public void Long_lines_and_too_many_lines_are_refused()
    {
        Assert.Contains("line 2 is 513 characters long", Refused("prose.txt", "[UNK]\n" + new string('x', 513) + "\n").Message);

        var many = new StringBuilder("[UNK]\n");
        for (int i = 0; i < WordPieceVocabulary.MaxTokens; i++) many.Append('t').Append(i).Append('\n');
        Assert.Contains("has more than 1,000,000 tokens", Refused("many.txt", many.ToString()).Message);
    }

    [Fact]
    public void Trailing_empty_lines_a_bom_and_crlf_are_accepted()
    {
        var path = _dir.File("vocab.txt");
        File.WriteAllText(path, "[PAD]\r\n[UNK]\r\nhello\r\n##s\r\n\r\n\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var tokenizer = WordPieceTextTokenizer.Create(path);

        Assert.Equal(4, tokenizer.VocabSize);
        Assert.Equal([2, 3, 1], tokenizer.Encode("hellos world"));
        Assert.Equal("hellos [UNK]", tokenizer.Decode([2, 3, 1]));
    }
}
