using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Probes.Membership.Attacks;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Membership;

public class MiaPartsTests
{
    [Fact]
    public void Length_deciles_run_from_0_to_9_and_equal_lengths_share_one()
    {
        var lengths = Enumerable.Range(1, 100).ToArray();
        var deciles = MiaProbe.LengthDeciles(lengths);
        Assert.Equal(0, deciles[0]);
        Assert.Equal(9, deciles[^1]);
        Assert.All(Enumerable.Range(0, 10), d => Assert.Equal(10, deciles.Count(x => x == d)));
        Assert.Equal([0, 0, 0, 0, 8], MiaProbe.LengthDeciles([5, 5, 5, 5, 9]));
    }

    [Fact]
    public void Sample_files_give_ids_by_line_and_labels_after_the_last_tab()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("m.txt"), ["a\tb text\tshort", "", "second\tlong"]);
        File.WriteAllLines(dir.File("n.txt"), ["other\tshort"]);
        var samples = MiaSamples.FromFiles(dir.File("m.txt"), dir.File("n.txt"), labels: true);
        Assert.Equal(["m-000000", "m-000001", "n-000000"], samples.Select(s => s.Id));
        Assert.Equal("a\tb text", samples[0].Text);
        Assert.Equal(["short", "long", "short"], samples.Select(s => s.Slice));
        Assert.Equal([true, true, false], samples.Select(s => s.IsMember));

        File.WriteAllLines(dir.File("bad.txt"), ["fine\tx", "no label here"]);
        var e = Assert.Throws<MemScanException>(() => MiaSamples.FromFiles(dir.File("m.txt"), dir.File("bad.txt"), labels: true));
        Assert.Contains("line 2 has no TAB", e.Message);
    }

    [Fact]
    public void Subsampling_keeps_at_most_n_per_class_in_order_and_is_seeded()
    {
        var samples = Enumerable.Range(0, 50).Select(i => new MiaSample($"s{i}", $"t{i}", i < 30, "")).ToList();
        var a = MiaSamples.Subsample(samples, 10, seed: 3);
        Assert.Equal(10, a.Count(s => s.IsMember));
        Assert.Equal(10, a.Count(s => !s.IsMember));
        Assert.Equal(a.Select(s => int.Parse(s.Id[1..])).Order(), a.Select(s => int.Parse(s.Id[1..])));
        Assert.Equal(a, MiaSamples.Subsample(samples, 10, seed: 3));
        Assert.Equal(50, MiaSamples.Subsample(samples, 1000, seed: 3).Count);
    }

    [Fact]
    public async Task Membership_tables_answer_by_text_and_a_repeated_text_is_in_when_any_copy_is()
    {
        using var dir = new TempDir();
        await ParquetTable<TrainingUnitRow>.WriteAsync(dir.File(TrainingUnitRow.FileName),
        [
            new() { UnitId = "doc-0", UnitKind = "document", Text = "alpha" },
            new() { UnitId = "doc-1", UnitKind = "document", Text = "beta" },
            new() { UnitId = "doc-2", UnitKind = "document", Text = "alpha" },
            new() { UnitId = "pin", UnitKind = "canary", Text = "my pin is 1234" },
        ], TestContext.Current.CancellationToken);
        await ParquetTable<MembershipRow>.WriteAsync(dir.File(MembershipRow.FileName),
        [
            new() { Model = "target", UnitId = "doc-0", UnitKind = "document", IsMember = false },
            new() { Model = "target", UnitId = "doc-1", UnitKind = "document", IsMember = true },
            new() { Model = "target", UnitId = "doc-2", UnitKind = "document", IsMember = true },
            new() { Model = "target", UnitId = "pin", UnitKind = "canary", IsMember = true },
            new() { Model = "ref-00", UnitId = "doc-0", UnitKind = "document", IsMember = false },
            new() { Model = "ref-00", UnitId = "doc-2", UnitKind = "document", IsMember = false },
        ], TestContext.Current.CancellationToken);
        var tables = MembershipTables.TryLoad(dir.Path)!;
        Assert.True(tables.IsMember("target", "alpha"));
        Assert.False(tables.IsMember("ref-00", "alpha"));
        Assert.Null(tables.IsMember("ref-00", "beta"));
        Assert.Null(tables.IsMember("ref-01", "alpha"));
        Assert.Null(tables.IsMember("target", "never seen"));
        var samples = tables.TargetSamples();
        Assert.Equal(3, samples.Count);
        Assert.Equal(["document", "document", "canary"], samples.Select(s => s.Slice));
        Assert.Equal(["ref-00", "target"], tables.Models);
    }

    [Fact]
    public async Task A_membership_table_naming_a_unit_that_is_not_in_units_parquet_is_refused_with_the_counts()
    {
        using var dir = new TempDir();
        await ParquetTable<TrainingUnitRow>.WriteAsync(dir.File(TrainingUnitRow.FileName), [new() { UnitId = "doc-0", Text = "x" }], TestContext.Current.CancellationToken);
        await ParquetTable<MembershipRow>.WriteAsync(dir.File(MembershipRow.FileName), [new() { Model = "ref-03", UnitId = "doc-9" }], TestContext.Current.CancellationToken);
        var e = Assert.Throws<MemScanException>(() => MembershipTables.TryLoad(dir.Path));
        Assert.Contains("unit 'doc-9' of model 'ref-03'", e.Message);
        Assert.Contains("(1 units)", e.Message);
        Assert.Null(MembershipTables.TryLoad(Path.Combine(dir.Path, "elsewhere")));
    }

    static readonly IMiaAttack[] LiraVariants = [LiraAttack.Online, LiraAttack.OnlineFixed, LiraAttack.Offline, LiraAttack.OfflineFixed];

    [Fact]
    public void Lira_runs_the_variants_the_reference_coverage_allows_and_says_why_others_are_skipped()
    {
        // 3 samples, 2 references that are OUT for all: only offline-fixed is possible
        double[] target = [-1, -2, -3];
        var notes = new List<string>();
        var scores = MiaAttackList.Score(LiraVariants, new MiaAttackInputs
        {
            Lira = LiraReferences.Split(target, [[-2, -2.5, -3.5], [-2.2, -2.4, -3.2]], [[false, false, false], [false, false, null]]),
        }, notes);
        Assert.Equal([MiaAttacks.LiraOfflineFixed], scores.Keys);
        Assert.Equal(3, notes.Count);
        Assert.Contains(notes, n => n.StartsWith("lira_online skipped: needs 2 IN and 2 OUT") && n.Contains("has 0 IN and 1 OUT"));
    }

    [Fact]
    public void Lira_separates_samples_whose_target_confidence_sits_with_their_in_references()
    {
        var random = new Random(5);
        int n = 200, refs = 8;
        var difficulty = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 4).ToArray();
        var isMember = Enumerable.Range(0, n).Select(i => i % 2 == 0).ToArray();
        double Phi(int i, bool member) => difficulty[i] + (member ? 0.5 : 0) + 0.1 * Normal(random);
        var referenceMember = Enumerable.Range(0, refs).Select(r => Enumerable.Range(0, n).Select(i => (bool?)((i + r) % 2 == 0)).ToArray()).ToArray();
        var referencePhi = Enumerable.Range(0, refs).Select(r => Enumerable.Range(0, n).Select(i => Phi(i, referenceMember[r][i]!.Value)).ToArray()).ToArray();
        var target = Enumerable.Range(0, n).Select(i => Phi(i, isMember[i])).ToArray();
        var notes = new List<string>();
        var scores = MiaAttackList.Score(LiraVariants, new MiaAttackInputs { Lira = LiraReferences.Split(target, referencePhi, referenceMember) }, notes);
        Assert.Empty(notes);
        Assert.Equal(4, scores.Count);
        double lossAuc = RocCurve.Compute(target, isMember).Auc;
        foreach (var (attack, values) in scores)
            Assert.True(RocCurve.Compute(values, isMember).Auc > Math.Max(0.95, lossAuc), $"{attack} AUC vs raw confidence {lossAuc:F3}");
    }

    [Fact]
    public void Trained_attacks_score_out_of_fold_so_pure_noise_features_stay_at_chance()
    {
        // gradient-boosted trees fit 400 noise samples perfectly in-sample; out of fold they cannot
        var random = new Random(9);
        int n = 400;
        var isMember = Enumerable.Range(0, n).Select(i => i % 2 == 0).ToArray();
        var signals = new Dictionary<string, double[]>
        {
            ["noise_a"] = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(),
            ["noise_b"] = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(),
        };
        var lengths = Enumerable.Range(0, n).Select(_ => random.Next(10, 100)).ToArray();
        var inputs = new MiaAttackInputs { IsMember = isMember, Lengths = lengths, Folds = 5, Seed = 1 };
        foreach (var attack in new[] { TrainedAttack.Logistic, TrainedAttack.Trees })
        {
            var outcome = attack.Score(inputs, signals);
            Assert.Null(outcome.SkipNote);
            double auc = RocCurve.Compute(outcome.Scores!, isMember).Auc;
            Assert.InRange(auc, 0.38, 0.62);
        }
    }

    [Fact]
    public void Trained_attacks_learn_a_signal_that_is_there()
    {
        var random = new Random(2);
        int n = 300;
        var isMember = Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray();
        var signals = new Dictionary<string, double[]>
        {
            // informative only after subtracting the difficulty, which a combination can learn
            ["loss"] = Enumerable.Range(0, n).Select(i => (isMember[i] ? 1.0 : 0) + 3 * Math.Sin(i)).ToArray(),
            ["difficulty"] = Enumerable.Range(0, n).Select(i => 3 * Math.Sin(i) + 0.05 * Normal(random)).ToArray(),
        };
        var inputs = new MiaAttackInputs { IsMember = isMember, Lengths = Enumerable.Repeat(50, n).ToArray(), Folds = 4, Seed = 0 };
        Assert.True(RocCurve.Compute(TrainedAttack.Logistic.Score(inputs, signals).Scores!, isMember).Auc > 0.95);
        Assert.True(RocCurve.Compute(TrainedAttack.Trees.Score(inputs, signals).Scores!, isMember).Auc > 0.8);
    }

    [Fact]
    public void Attacks_are_looked_up_by_name_and_run_in_list_order()
    {
        Assert.Same(LiraAttack.Offline, MiaAttackList.Find(MiaAttacks.LiraOffline));
        Assert.Equal([MiaAttacks.Loss, MiaAttacks.Zlib, MiaAttacks.Lowercase, MiaAttacks.MinK, MiaAttacks.MinKPlusPlus, MiaAttacks.ReferenceRatio,
                      MiaAttacks.LiraOnline, MiaAttacks.LiraOnlineFixed, MiaAttacks.LiraOffline, MiaAttacks.LiraOfflineFixed,
                      MiaAttacks.TrainedLogistic, MiaAttacks.TrainedTrees], MiaAttackList.All.Select(a => a.Name));
        var e = Assert.Throws<MemScanException>(() => MiaAttackList.Find("gradient_norm"));
        Assert.Contains("choose from loss, zlib", e.Message);
    }

    [Fact]
    public void Attacks_that_skip_together_say_so_once_and_absent_inputs_say_nothing()
    {
        // 3 samples, no references, 5 folds: ref_ratio and LiRA are absent, both trained attacks skip for one reason
        SequenceStats[] target = [new(4, 1.0, -2, -1), new(4, 2.0, -3, -2), new(4, 3.0, -4, -3)];
        var notes = new List<string>();
        var scores = MiaAttackList.Score(MiaAttackList.All, new MiaAttackInputs
        {
            Target = target, LowercaseLoss = [1.5, 2.5, 3.5], Texts = ["a b c d", "e f g h", "i j k l"],
            IsMember = [true, false, true], Lengths = [4, 4, 4], Folds = 5, Seed = 1,
        }, notes);
        Assert.Equal([MiaAttacks.Loss, MiaAttacks.Zlib, MiaAttacks.Lowercase, MiaAttacks.MinK, MiaAttacks.MinKPlusPlus], scores.Keys);
        Assert.Equal(["trained attacks skipped: 5 folds need at least 5 members and non-members, got 2 and 1"], notes);
        Assert.Equal([-1.0, -2.0, -3.0], scores[MiaAttacks.Loss]);
    }

    [Fact]
    public void Folds_are_stratified_and_cover_every_sample()
    {
        var isMember = Enumerable.Range(0, 103).Select(i => i < 40).ToArray();
        var fold = TrainedAttack.Folds(isMember, 5, seed: 4);
        for (int k = 0; k < 5; k++)
        {
            Assert.InRange(Enumerable.Range(0, 103).Count(i => fold[i] == k && isMember[i]), 8, 8);
            Assert.InRange(Enumerable.Range(0, 103).Count(i => fold[i] == k && !isMember[i]), 12, 13);
        }
    }

    [Fact]
    public void The_stepped_scorer_gives_the_same_loss_as_one_pass_and_min_k_pp_from_the_full_rows()
    {
        var model = new HashedLanguageModel(vocab: 17);
        var random = new Random(1);
        var sequences = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, random.Next(2, 25)).Select(_ => random.Next(17)).ToArray()).ToArray();
        var full = SequenceScorer.Full(model, sequences, 0.2);
        var losses = SequenceScorer.Losses(model, sequences);
        for (int i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(losses[i], full[i].Loss, 5);
            var rows = Enumerable.Range(0, sequences[i].Length - 1).Select(t => model.Distribution(sequences[i][..(t + 1)])).ToList();
            Assert.Equal(MinKPlusPlus.Score(rows, sequences[i][1..]), full[i].MinKPlusPlus, 5);
            Assert.Equal(sequences[i].Length - 1, full[i].ScoredTokens);
        }
        var e = Assert.Throws<MemScanException>(() => SequenceScorer.Losses(model, [[1, 2], [3]]));
        Assert.Contains("sample 1 has 1 token(s)", e.Message);
    }

    static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
