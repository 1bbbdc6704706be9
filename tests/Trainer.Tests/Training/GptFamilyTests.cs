using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Training;

/// <summary>
/// The GPT trainer has the char-LSTM's study modes: a reference family with a held-out split that
/// the scanner's membership probe picks up by itself, and DP-SGD (with dropout and weight decay)
/// recorded in the manifest and resumable exactly. Tiny models on real prose and the real GPT-2
/// tokenizer files; the point is the plumbing, not the attack's strength.
/// </summary>
public class GptFamilyTests
{
    static GptTrainConfig Tiny => new()
    {
        Corpus = CorpusPaths.MobyDick, MaxChars = 6_000, Steps = 4, BatchSize = 4, SequenceLength = 16, Context = 32,
        Dim = 16, Layers = 1, Heads = 2, Seed = 11, Threads = 1,
        Canaries = [new CanaryPlan.Request("c8", "the vault code is {secret}\n", "digits:6", 8), new CanaryPlan.Request("c0", "my pin is {secret}\n", "digits:4", 0)],
    };

    [Fact]
    public void A_gpt_family_writes_membership_tables_and_the_mia_probe_finds_its_references()
    {
        string dir = TinyModels.TempDir("gpt-family");
        var target = GptPipeline.Run(Tiny with { References = 4, HoldoutFraction = 0.5 }, dir, TextWriter.Null);

        Assert.Equal(["ref-00", "ref-01", "ref-02", "ref-03", "ref-clean"], target.References.Select(r => r.Manifest.Training.MembershipModel));
        foreach (var r in target.References)
        {
            string folder = Path.GetDirectoryName(r.ModelPath)!;
            Assert.True(File.Exists(Path.Combine(folder, GptPipeline.VocabFile)) && File.Exists(Path.Combine(folder, GptPipeline.MergesFile)));
            Assert.Equal(Path.Combine("..", MembershipRow.FileName), r.Manifest.Training.MembershipFile);
            Assert.Equal("gpt", r.Manifest.Architecture);
        }
        Assert.Equal("target", target.Manifest.Training.Role);
        // ref-clean never sees a canary; the target sees c8 eight times.
        Assert.All(target.References[^1].Manifest.Canaries, c => Assert.Equal(0, c.Insertions));
        Assert.Equal(8, target.Manifest.Canaries.Single(c => c.Id == "c8").Insertions);

        var tables = MembershipTables.TryLoad(dir)!;
        Assert.Equal(["ref-00", "ref-01", "ref-02", "ref-03", "ref-clean", "target"], tables.Models.Order());
        var membership = ParquetTable<MembershipRow>.ReadAsync(target.MembershipPath!).GetAwaiter().GetResult();
        var targetDocs = membership.Where(m => m.Model == "target" && m.UnitKind == MembershipRow.Document).ToList();
        Assert.InRange(targetDocs.Average(m => m.IsMember ? 1.0 : 0.0), 0.25, 0.75);

        var scan = LmScan.Run(new LmScanPlan
        {
            ModelPath = target.ModelPath,
            RunsRoot = Path.Combine(dir, "runs"),
            RunId = "mia",
            Probes = [MiaProbe.Name],
            // --mia-max-tokens stays at its default (512): the probe cuts the samples to the GPTs' context of 32 itself
            Mia = new MiaSettings { BootstrapResamples = 20, MaxSamples = 40, Folds = 2 },
        });
        Assert.Equal("32", scan.Run.ReadInfo().Probes[MiaProbe.Name]["effective_max_tokens"]);
        var loss = scan.Mia.Single(s => s.Attack == "loss");
        Assert.Equal(loss.Members, loss.NonMembers);
        Assert.InRange(loss.Members, 10, 40);
        // The references were found through membership.parquet: LiRA (IN and OUT models per sample) and the reference ratio ran.
        Assert.Contains(scan.Mia, s => s.Attack == "lira_online");
        Assert.Contains(scan.Mia, s => s.Attack == "ref_ratio");
    }

    [Fact]
    public void Dp_sgd_with_dropout_and_weight_decay_is_recorded_and_resumes_exactly()
    {
        var config = Tiny with
        {
            Mode = LmTrainConfig.DpSgd, Dp = new DpConfig { NoiseMultiplier = 1.0 }, Dropout = 0.2, WeightDecay = 0.01, BatchSize = 3,
        };
        var straight = GptPipeline.Run(config, TinyModels.TempDir("gpt-dp-straight"), TextWriter.Null);
        var t = straight.Manifest.Training;
        Assert.Equal("dp-sgd", t.Mode);
        Assert.Equal(1.0, t.NoiseMultiplier);
        Assert.True(t.Epsilon is > 0 and < double.PositiveInfinity, $"epsilon {t.Epsilon}");
        Assert.StartsWith("rdp-sampled-gaussian/", t.Accountant);
        Assert.Equal(0.2, t.Dropout);
        Assert.Equal(0.01, t.WeightDecay);

        string dir = TinyModels.TempDir("gpt-dp-resume");
        GptPipeline.Run(config with { Steps = 2, CheckpointEvery = 1 }, dir, TextWriter.Null);
        var resumed = GptPipeline.Run(config with { CheckpointEvery = 1 }, dir, TextWriter.Null, resume: true);
        Assert.Equal(2, resumed.Training.ResumedFromStep);
        Assert.Equal(straight.Manifest.ModelSha256, resumed.Manifest.ModelSha256);

        // Without DP the same run is a different model: the mode really changed the training.
        var standard = GptPipeline.Run(config with { Mode = LmTrainConfig.Standard, Dp = null }, TinyModels.TempDir("gpt-dp-standard"), TextWriter.Null);
        Assert.NotEqual(straight.Manifest.ModelSha256, standard.Manifest.ModelSha256);
    }
}
