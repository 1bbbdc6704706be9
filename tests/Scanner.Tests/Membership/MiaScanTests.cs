using MemScan.Scanner.Manifest;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Membership;

/// <summary>The mia probe through the real scan, on bigram ONNX models (no memorization: the plumbing, files and conventions).</summary>
public class MiaScanTests
{
    const string Symbols = "\0abcdefghijklmnopqrstuvwxyz .,";

    static string Model(TempDir dir, string name, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(dir.File(name))!);
        string path = BigramOnnxModel.Write(dir.File(name), Symbols.Length, seed);
        new ModelManifest
        {
            ModelFile = Path.GetFileName(path),
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = Symbols },
            Io = new LmIoSpec { InputIds = "input_ids", Logits = "logits" },
        }.Save(ModelManifest.PathFor(path));
        return path;
    }

    static string[] Texts(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new string(Enumerable.Range(0, random.Next(5, 40)).Select(_ => Symbols[random.Next(1, Symbols.Length)]).ToArray()).Trim() + "x").ToArray();
    }

    [Fact]
    public async Task Sample_files_and_a_reference_give_every_table_plot_and_one_finding_per_attack()
    {
        using var dir = new TempDir();
        string target = Model(dir, "target/model.onnx", 1);
        string reference = Model(dir, "other/ref.onnx", 2);
        string second = Model(dir, "other/second.onnx", 3);
        File.WriteAllLines(dir.File("members.txt"), Texts(60, 1).Select((t, i) => $"{t}\t{(i % 2 == 0 ? "even" : "odd")}"));
        File.WriteAllLines(dir.File("non-members.txt"), Texts(50, 2).Select((t, i) => $"{t}\t{(i % 2 == 0 ? "even" : "odd")}"));
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = target,
            RunsRoot = dir.File("runs"),
            RunId = "r",
            Probes = [MiaProbe.Name],
            Mia = new MiaSettings
            {
                MembersFile = dir.File("members.txt"), NonMembersFile = dir.File("non-members.txt"), SampleLabels = true,
                References = [reference, second], Folds = 3, BootstrapResamples = 50,
            },
        });
        string run = dir.File("runs/r");
        var ct = TestContext.Current.CancellationToken;

        var summaries = await ParquetTable<MiaSummary>.ReadAsync(Path.Combine(run, "mia.parquet"), ct);
        // references no membership table knows: taken as OUT for every sample, so only offline LiRA
        Assert.Equal(["loss", "zlib", "lowercase", "min_k", "min_k_pp", "ref_ratio", "lira_offline", "lira_offline_fixed", "trained_logreg", "trained_gbt"],
            summaries.Select(s => s.Attack));
        Assert.Equal(summaries, result.Mia);
        Assert.All(summaries, s => { Assert.Equal(60, s.Members); Assert.Equal(50, s.NonMembers); Assert.InRange(s.Auc, s.AucLow, s.AucHigh); });

        var scores = await ParquetTable<MiaScoreRow>.ReadAsync(Path.Combine(run, "mia_scores.parquet"), ct);
        Assert.Equal(summaries.Count * 110, scores.Count);
        Assert.Equal(["sample_id", "is_member", "attack", "score", "length_tokens", "slice", "length_decile"], ParquetTable<MiaScoreRow>.ColumnNames);
        Assert.Equal(["even", "odd"], scores.Select(s => s.Slice).Distinct().Order());
        // the loss attack's score is minus the mean token loss, recomputed here from the model
        var loss = scores.Where(s => s.Attack == "loss").ToDictionary(s => s.SampleId);
        Assert.True(loss["m-000000"].IsMember);
        Assert.False(loss["n-000000"].IsMember);
        using (var model = MemScan.Scanner.Models.OnnxLanguageModel.Open(target))
        {
            var ids = MemScan.Scanner.Tokenizers.CharTokenizer.Create(Symbols).Encode(File.ReadLines(dir.File("members.txt")).First().Split('\t')[0]);
            Assert.Equal(ids.Length, loss["m-000000"].LengthTokens);
            Assert.Equal(-SequenceLoss.Mean(model.TokenLogProbs([ids])[0]), loss["m-000000"].Score, 5);
        }

        var roc = await ParquetTable<RocRow>.ReadAsync(Path.Combine(run, "roc.parquet"), ct);
        Assert.Equal(summaries.Select(s => s.Attack), roc.Select(r => r.Attack).Distinct());
        var slices = await ParquetTable<MiaSliceRow>.ReadAsync(Path.Combine(run, "mia_slices.parquet"), ct);
        Assert.Contains(slices, s => s.SliceKind == "label" && s.Slice == "even" && s.Attack == "loss");
        Assert.Contains(slices, s => s.SliceKind == "length_decile" && s.Slice == "9");
        Assert.True(new FileInfo(Path.Combine(run, "roc.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(run, "roc-loglog.png")).Length > 1000);

        var findings = await FindingsTable.ReadAsync(Path.Combine(run, FindingsTable.FileName), ct);
        Assert.Equal(summaries.Select(s => s.Attack).Order(), findings.Where(f => f.Probe == "mia").Select(f => f.Subject).Order());
        Assert.All(findings, f => Assert.Equal("tpr_at_0_1pct_fpr", f.ScoreName));
        Assert.Contains("0 false positive(s) allowed among 50 non-members", findings[0].Evidence);
        var info = RunFolder.Open(run).ReadInfo();
        Assert.Equal("3", info.Probes["mia"]["folds"]);
    }

    [Fact]
    public void Asking_for_mia_without_non_members_or_for_an_unknown_ratio_reference_fails_with_a_clear_message()
    {
        using var dir = new TempDir();
        string target = Model(dir, "model.onnx", 1);
        File.WriteAllLines(dir.File("m.txt"), Texts(10, 1));
        var plan = new LmScanPlan { ModelPath = target, RunsRoot = dir.File("runs"), Probes = [MiaProbe.Name] };
        var e = Assert.Throws<MemScanException>(() => LmScan.Run(plan));
        Assert.Contains("the mia probe needs members and non-members", e.Message);
        e = Assert.Throws<MemScanException>(() => LmScan.Run(plan with { Mia = new MiaSettings { MembersFile = dir.File("m.txt") } }));
        Assert.Contains("--members and --non-members go together", e.Message);
        File.WriteAllLines(dir.File("n.txt"), Texts(10, 2));
        e = Assert.Throws<MemScanException>(() => LmScan.Run(plan with
        {
            RunId = "x",
            Mia = new MiaSettings { MembersFile = dir.File("m.txt"), NonMembersFile = dir.File("n.txt"), RatioReference = "ref-07" },
        }));
        Assert.Equal("--ratio-reference 'ref-07' is none of the 0 reference model(s): none found", e.Message);
    }

    [Fact]
    public async Task References_are_found_through_membership_parquet_and_ref_clean_serves_the_ratio_only()
    {
        using var dir = new TempDir();
        string target = Model(dir, "model.onnx", 1);
        var texts = Texts(40, 3).Distinct().ToArray();
        var refs = new[] { "ref-00", "ref-01", "ref-02", "ref-03", "ref-clean" };
        foreach (var (r, k) in refs.Select((r, k) => (r, k))) Model(dir, $"{r}/model.onnx", 10 + k);
        var ct = TestContext.Current.CancellationToken;
        await ParquetTable<TrainingUnitRow>.WriteAsync(dir.File(TrainingUnitRow.FileName),
            texts.Select((t, i) => new TrainingUnitRow { UnitId = $"doc-{i:D6}", UnitKind = "document", Text = t }), ct);
        bool Target(int i) => i % 2 == 0;
        bool In(int r, int i) => r == 4 ? Target(i) : ((i / 2) + r) % 4 < 2;
        await ParquetTable<MembershipRow>.WriteAsync(dir.File(MembershipRow.FileName),
            new[] { "target" }.Concat(refs).SelectMany((m, r) => texts.Select((_, i) => new MembershipRow
            {
                Model = m, UnitId = $"doc-{i:D6}", UnitKind = "document", IsMember = r == 0 ? Target(i) : In(r - 1, i),
            })), ct);
        var log = new List<string>();
        // no --probes: the family's membership.parquet is enough to turn the probe on
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = target, RunsRoot = dir.File("runs"), RunId = "fam",
            Mia = new MiaSettings { Folds = 0, BootstrapResamples = 20, RatioReference = "ref-clean" },
        }, log.Add);
        Assert.Equal(["loss", "zlib", "lowercase", "min_k", "min_k_pp", "ref_ratio", "lira_online", "lira_online_fixed", "lira_offline", "lira_offline_fixed"],
            result.Mia.Select(m => m.Attack));
        Assert.Contains(log, l => l.Contains("reference ref-clean trained on exactly the target's members: used for ref_ratio only, not LiRA"));
        Assert.Contains(log, l => l.StartsWith("membership inference on 20 members and 20 non-members (membership-table)"));
        var info = RunFolder.Open(dir.File("runs/fam")).ReadInfo();
        Assert.Equal("ref-clean", info.Probes["mia"]["ratio_reference"]);
    }
}
