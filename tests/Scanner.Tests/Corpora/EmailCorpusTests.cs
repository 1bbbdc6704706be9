using System.Text.RegularExpressions;
using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class EmailCorpusTests
{
    [Fact]
    public void Spam_assassin_corpus_has_6046_messages_in_five_groups()
    {
        var corpus = FetchedCorpora.SpamAssassin;

        Assert.Equal(6046, corpus.Count);
        var groups = corpus.Messages.GroupBy(m => m.Group).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2500, groups["easy-ham-1"]);
        Assert.Equal(1400, groups["easy-ham-2"]);
        Assert.Equal(250, groups["hard-ham-1"]);
        Assert.Equal(500, groups["spam-1"]);
        Assert.Equal(1396, groups["spam-2"]);
        Assert.Equal(1896, corpus.Messages.Count(m => m.IsSpam));
    }

    [Fact]
    public void Spam_assassin_messages_contain_email_addresses()
    {
        var address = new Regex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant);
        var corpus = FetchedCorpora.SpamAssassin;

        var withAddress = corpus.Messages.Count(m => address.IsMatch(m.Text));
        var bodiesWithAddress = corpus.Messages.Count(m => address.IsMatch(m.Body));

        Assert.True(withAddress > 6000, $"only {withAddress} of {corpus.Count} messages contain an address");
        Assert.True(bodiesWithAddress > 1000, $"only {bodiesWithAddress} bodies contain an address");
    }

    [Fact]
    public void First_message_splits_into_headers_and_body_at_the_blank_line()
    {
        var first = FetchedCorpora.SpamAssassin.Messages[0];

        Assert.Equal("00001.7c53336b37003a9286aba55d2945844c", first.Id);
        Assert.StartsWith("From exmh-workers-admin@redhat.com", first.Headers);
        Assert.Contains("Return-Path:", first.Headers);
        Assert.DoesNotContain("Return-Path:", first.Body);
        Assert.Equal("<exmh-workers-admin@spamassassin.taint.org>", first.Header("Return-Path"));
        Assert.Equal(first.Text.Length, first.Headers.Length + 1 + first.Body.Length);
    }

    [Fact]
    public void Non_utf8_messages_are_decoded_as_latin1_without_replacement_characters()
    {
        var corpus = FetchedCorpora.SpamAssassin;

        Assert.DoesNotContain(corpus.Messages, m => m.Text.Contains('\uFFFD'));
        Assert.Contains(corpus.Messages, m => m.Text.Any(c => c is >= '\u0080' and <= '\u00FF'));
    }

    [Fact]
    public void Corpus_hash_is_a_sha256_and_training_text_is_whole_body_lines()
    {
        var corpus = FetchedCorpora.SpamAssassin;

        Assert.Matches("^[0-9a-f]{64}$", corpus.Sha256);
        var text = corpus.TrainingText(10_000);
        Assert.InRange(text.Length, 9_000, 10_000);
        var lines = text.Split('\n');
        Assert.Equal(corpus.Lines().Take(lines.Length), lines);
        Assert.DoesNotContain("Return-Path:", text);
        Assert.Contains("Return-Path:", corpus.TrainingText(10_000, includeHeaders: true));
    }

    [Fact]
    public void Messages_without_file_list_load_in_path_order_with_crlf_bodies()
    {
        using var dir = new TempDirectory();
        dir.File("b/2.eml", "Subject: second\r\n\r\nbody two\r\n");
        dir.File("a/1.txt", "Subject: first\r\nTo: x@example.org\r\n\r\nhello\r\n\r\nworld\r\n");
        dir.File("README.md", "not a message");

        var corpus = EmailCorpus.Load(dir.Path);

        Assert.Equal(["a/1.txt", "b/2.eml"], corpus.Messages.Select(m => m.RelativePath));
        Assert.Equal("hello\r\n\r\nworld\r\n", corpus.Messages[0].Body);
        Assert.Equal("first", corpus.Messages[0].Header("subject"));
        Assert.Equal(["hello", "world", "body two"], corpus.Lines());
        Assert.Equal("hello\nworld", corpus.TrainingText(13));
    }

    [Fact]
    public void Missing_folder_error_says_to_run_fetch_sh()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, CorpusPaths.SpamAssassin);

        var e = Assert.Throws<MemScanException>(() => EmailCorpus.Load(missing));

        Assert.Contains(missing, e.Message);
        Assert.Contains("corpora/fetch.sh spam-assassin", e.Message);
    }

    [Fact]
    public void File_list_naming_an_absent_message_is_rejected_with_its_name()
    {
        using var dir = new TempDirectory();
        dir.File("file_list.json", """["g/present.txt", "g/absent.txt"]""");
        dir.File("g/present.txt", "Subject: x\n\nbody\n");

        var e = Assert.Throws<MemScanException>(() => EmailCorpus.Load(dir.Path));

        Assert.Contains("g/absent.txt", e.Message);
        Assert.Contains("corpora/fetch.sh", e.Message);
    }
}
