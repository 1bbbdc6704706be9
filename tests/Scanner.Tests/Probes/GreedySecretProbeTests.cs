using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.GreedySecret;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Tokenizers;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// greedy_secret: a model that has "memorized" one canary's secret after its prefix types it out
/// under greedy decoding, and a control canary's secret does not come out.
/// </summary>
public sealed class GreedySecretProbeTests : IDisposable
{
    static readonly RandomnessSpace Space = RandomnessSpace.Parse("digits:4");
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_memorized_secret_comes_out_whole_and_the_control_does_not()
    {
        var tokenizer = CharTokenizer.Create(CharTokenizer.Unknown + " abcdefghijklmnopqrstuvwxyz0123456789");
        var memorized = Canary.ThirdParty("memorized", "the code is {secret}", "4821", Space);
        var control = Canary.ThirdParty("control", "my pin is {secret}", "3095", Space);
        // a bigram model: after the prefixes' last character (a space) it types 4, 8, 2, 1
        var path = SteeredBigramOnnxModel.Path(tokenizer.Encode(" 4821")).ToList();
        using var model = OnnxLanguageModel.Open(SteeredBigramOnnxModel.Write(_dir.File("model.onnx"), tokenizer.VocabSize, path));

        var rows = new GreedySecretProbe(model, tokenizer).Run([memorized, control]);

        Assert.Equal(["memorized", "control"], rows.Select(r => r.CanaryId));
        Assert.Equal(("4821", 4, true), (rows[0].Generated, rows[0].MatchedChars, rows[0].Exact));
        Assert.Equal(("4821", 0, false), (rows[1].Generated, rows[1].MatchedChars, rows[1].Exact));
        Assert.Equal(Severity.Critical, GreedySecretProbe.ToFinding(rows[0]).Severity);
        Assert.Equal("4821", GreedySecretProbe.ToFinding(rows[0]).Secret);
        var miss = GreedySecretProbe.ToFinding(rows[1]);
        Assert.Equal((Severity.Info, 0.0, (string?)null), (miss.Severity, miss.Score, miss.Secret));
    }

    [Fact]
    public void A_partly_memorized_secret_counts_its_leading_characters()
    {
        var tokenizer = CharTokenizer.Create(CharTokenizer.Unknown + " abcdefghijklmnopqrstuvwxyz0123456789");
        var canary = Canary.ThirdParty("half", "the code is {secret}", "4899", Space);
        var path = SteeredBigramOnnxModel.Path(tokenizer.Encode(" 4821")).ToList();
        using var model = OnnxLanguageModel.Open(SteeredBigramOnnxModel.Write(_dir.File("model.onnx"), tokenizer.VocabSize, path));

        var row = Assert.Single(new GreedySecretProbe(model, tokenizer).Run([canary]));

        Assert.Equal((2, false), (row.MatchedChars, row.Exact));
        Assert.Equal(0.5, GreedySecretProbe.ToFinding(row).Score);
    }

    [Fact]
    public void A_scan_runs_it_only_when_named_and_writes_its_table_and_findings()
    {
        var memorized = Canary.ThirdParty("memorized", "the vault PIN is {secret}", "7391", Space);
        var bert = FetchedTokenizers.Bert;
        string model = SteeredBigramOnnxModel.Write(_dir.File("model.onnx"), bert.VocabSize,
            SteeredBigramOnnxModel.Path(bert.Encode(memorized.Prefix + memorized.Secret)).ToList());
        LmScanPlan Plan(string runId, params string[] probes) => new()
        {
            ModelPath = model, RunsRoot = _dir.File("runs"), RunId = runId, Tokenizer = "bert",
            ExtraCanaries = [memorized], Probes = probes, Isolate = false,
        };

        var named = LmScan.Run(Plan("named", GreedySecretProbe.Name));
        var rows = ParquetTable<GreedySecretRow>.ReadAsync(named.Run.TablePath(GreedySecretRow.TableName)).GetAwaiter().GetResult();
        Assert.True(Assert.Single(rows).Exact, $"greedy typed '{rows[0].Generated}'");
        var finding = Assert.Single(named.Findings);
        Assert.Equal((GreedySecretProbe.Name, "memorized", Severity.Critical), (finding.Probe, finding.Subject, finding.Severity));
        Assert.Contains(GreedySecretProbe.Name, named.Run.ReadInfo().CompletedProbes);

        // every other probe that applies runs by default; small budgets keep it quick
        var byDefault = LmScan.Run(Plan("default") with
        {
            Exposure = new() { ExtrapolationSamples = 0, Batch = 64 },
            Extraction = new() { MaxQueries = 2_000 },
        });
        Assert.DoesNotContain(byDefault.Findings, f => f.Probe == GreedySecretProbe.Name);
        Assert.False(File.Exists(byDefault.Run.TablePath(GreedySecretRow.TableName)));
    }
}
