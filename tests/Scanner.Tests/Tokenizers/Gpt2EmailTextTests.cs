using MemScan.Scanner.Corpora;
using MemScan.Scanner.Tokenizers;

using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public class Gpt2EmailTextTests
{
    [Fact]
    public void Whitespace_runs_stay_single_space_tokens_as_in_gpt2()
    {
        var gpt2 = Gpt2BpeTokenizer.CreateDefault();
        Assert.Equal([15496, 220, 220, 220, 995], gpt2.Encode("Hello    world"));
    }

    [Fact]
    public void Email_text_with_headers_encodes_exactly_as_tiktoken_r50k_base()
    {
        var text = EmailCorpus.LoadDefault().TrainingText(200_000, includeHeaders: true);
        var gpt2 = Gpt2BpeTokenizer.CreateDefault();
        using var ranks = File.OpenRead(TiktokenFiles.LocateDefault().PathFor("r50k_base"));
        var reference = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt2", ranks);
        var ids = gpt2.Encode(text);
        Assert.Equal(reference.EncodeToIds(text), ids);
        Assert.Equal(text, gpt2.Decode(ids));
    }
}
