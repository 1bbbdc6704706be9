using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using MemScan.Trainer.Tests.Claims;
using Xunit;

namespace MemScan.Trainer.Tests.Membership;

public class MembershipInferenceTests(ReferenceFamilyFixture fixture) : IClassFixture<ReferenceFamilyFixture>
{
    async Task<Dictionary<string, MiaSummary>> Summaries() =>
        (await ParquetTable<MiaSummary>.ReadAsync(Path.Combine(fixture.RunDir, "mia.parquet"), TestContext.Current.CancellationToken))
        .ToDictionary(s => s.Attack);

    [Fact]
    public async Task Every_attack_runs_on_the_family_found_through_membership_parquet()
    {
        var all = await Summaries();
        Assert.Equal(
            [MiaAttacks.Loss, MiaAttacks.Zlib, MiaAttacks.Lowercase, MiaAttacks.MinK, MiaAttacks.MinKPlusPlus, MiaAttacks.ReferenceRatio,
             MiaAttacks.LiraOnline, MiaAttacks.LiraOnlineFixed, MiaAttacks.LiraOffline, MiaAttacks.LiraOfflineFixed,
             MiaAttacks.TrainedLogistic, MiaAttacks.TrainedTrees], all.Keys);
        int members = fixture.TargetMembers.Count(m => m);
        Assert.All(all.Values, s => Assert.Equal((members, ReferenceFamilyFixture.Units - members), (s.Members, s.NonMembers)));
        var info = RunFolder.Open(fixture.RunDir).ReadInfo();
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Contains(MiaProbe.Name, info.Probes.Keys);
    }

    [Fact]
    public async Task The_target_memorized_its_half_so_even_the_loss_attack_beats_chance()
    {
        var loss = (await Summaries())[MiaAttacks.Loss];
        Assert.True(loss.AucLow > 0.6, $"loss attack AUC {loss.Auc:F3} [{loss.AucLow:F3}, {loss.AucHigh:F3}]");
    }

    [Fact]
    public async Task Lira_and_the_reference_ratio_beat_the_loss_attack_at_0_1_percent_fpr()
    {
        var all = await Summaries();
        var loss = all[MiaAttacks.Loss];
        Report(all);
        // the references calibrate each sentence's own difficulty, which the loss attack cannot
        foreach (var attack in new[] { MiaAttacks.LiraOnlineFixed, MiaAttacks.LiraOfflineFixed, MiaAttacks.ReferenceRatio })
        {
            var s = all[attack];
            Assert.True(s.TprAt0Point1PctFpr >= loss.TprAt0Point1PctFpr + 0.05,
                $"{attack}: TPR@0.1%FPR {s.TprAt0Point1PctFpr:P1} vs loss {loss.TprAt0Point1PctFpr:P1}");
            Assert.True(s.Auc > loss.Auc, $"{attack}: AUC {s.Auc:F3} vs loss {loss.Auc:F3}");
        }
        Assert.True(all[MiaAttacks.LiraOnlineFixed].TprAt0Point1PctFpr >= 0.2, $"online LiRA TPR@0.1% {all[MiaAttacks.LiraOnlineFixed].TprAt0Point1PctFpr:P1}");
    }

    /// <summary>README's table under "Measured (tests/Trainer.Tests/Membership)", every row at its printed precision.</summary>
    [Fact]
    [Trait("tier", "claims")]
    public async Task Every_row_of_the_readme_membership_table_is_regenerated_at_its_printed_value()
    {
        var all = await Summaries();
        Report(all);
        // one torch thread, seeded splits, bootstrap and folds: the whole table is deterministic
        Assert.Equal(12, all.Count);
        PrintedFigures.AssertPrinted("README.md", all.Values.Select(r => FormattableString.Invariant(
            $"| `{r.Attack}` | {r.Auc:F3} [{r.AucLow:F3}, {r.AucHigh:F3}] | {PrintedFigures.Percent(r.TprAt1PctFpr)} | {PrintedFigures.Percent(r.TprAt0Point1PctFpr)} |")));
    }

    [Fact]
    public async Task Findings_rate_lira_high_from_its_tpr_at_low_fpr()
    {
        var findings = await FindingsTable.ReadAsync(Path.Combine(fixture.RunDir, FindingsTable.FileName), TestContext.Current.CancellationToken);
        var lira = findings.Single(f => f.Probe == MiaProbe.Name && f.Subject == MiaAttacks.LiraOnlineFixed);
        Assert.True(lira.Severity >= Severity.High, $"{lira.Severity}: {lira.Evidence}");
        Assert.Equal("tpr_at_0_1pct_fpr", lira.ScoreName);
        Assert.Equal(12, findings.Count(f => f.Probe == MiaProbe.Name));
    }

    [Fact]
    public async Task Per_sample_scores_carry_the_ground_truth_of_membership_parquet()
    {
        var scores = await ParquetTable<MiaScoreRow>.ReadAsync(Path.Combine(fixture.RunDir, "mia_scores.parquet"), TestContext.Current.CancellationToken);
        var loss = scores.Where(s => s.Attack == MiaAttacks.Loss).ToList();
        Assert.Equal(ReferenceFamilyFixture.Units, loss.Count);
        foreach (var row in loss)
        {
            int unit = int.Parse(row.SampleId["doc-".Length..]);
            Assert.Equal(fixture.TargetMembers[unit], row.IsMember);
            Assert.Equal(fixture.Lines[unit].Length, row.LengthTokens);
            Assert.Equal("document", row.Slice);
        }
    }

    void Report(Dictionary<string, MiaSummary> all)
    {
        Console.WriteLine($"mia family: {ReferenceFamilyFixture.References + 1} char-LSTMs trained in {fixture.TrainSeconds:F1}s, scan {fixture.Scan.Seconds:F1}s");
        foreach (var r in all.Values)
            Console.WriteLine($"| {r.Attack} | {r.Auc:F3} [{r.AucLow:F3}, {r.AucHigh:F3}] | {100 * r.TprAt1PctFpr:F1}% | {100 * r.TprAt0Point1PctFpr:F1}% |");
    }
}
