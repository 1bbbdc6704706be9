using MemScan.Scanner.Corpora;
using MemScan.Trainer.Training;
using Microsoft.ML.Tokenizers;
using Xunit;

namespace MemScan.Trainer.Tests.Training;

public class Gpt2EncodingTests
{
    [Fact]
    public void Whitespace_runs_stay_single_space_tokens_as_in_gpt2()
    {
        var tokenizer = Gpt2Encoding.Open(Gpt2TokenizerFiles.LocateDefault());
        Assert.Equal([15496, 220, 220, 220, 995], tokenizer.EncodeToIds("Hello    world"));
        Assert.Equal([15496, 995, 50256], tokenizer.EncodeToIds("Hello world<|endoftext|>"));
    }

    [Fact]
    public void Vocab_json_encodes_email_text_exactly_as_tiktoken_r50k_base()
    {
        var text = EmailCorpus.LoadDefault().TrainingText(200_000, includeHeaders: true);
        var ours = Gpt2Encoding.Open(Gpt2TokenizerFiles.LocateDefault());
        using var ranks = File.OpenRead(TiktokenFiles.LocateDefault().PathFor("r50k_base"));
        var reference = TiktokenTokenizer.CreateForModel("gpt2", ranks);
        var ids = ours.EncodeToIds(text);
        Assert.Equal(reference.EncodeToIds(text), ids);
        Assert.True(ids.Max() < 50257);
        Assert.Equal(text, ours.Decode(ids));
    }
}
