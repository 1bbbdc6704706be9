using System.Diagnostics;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Export;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests.Membership;

/// <summary>
/// A target and its reference models on real prose, laid out as the Trainer's --references mode
/// does: Moby-Dick sentences are the units; the target trains on a random half, each reference on a
/// balanced random half (every line is IN for exactly half the references); all share one char
/// tokenizer; units.parquet and membership.parquet record who trained on what. Tiny LSTMs over
/// many epochs of a few kilobytes memorize strongly and train in a few seconds each. Then the real
/// scan runs the mia probe, finding the references through membership.parquet.
/// </summary>
public sealed class ReferenceFamilyFixture
{
    public const int Units = 300, References = 8;
    // tiny and fast (about 2 s per model on 2 cores) yet ~25 epochs over ~10k chars: strong memorization
    const int Steps = 150, Hidden = 48, SequenceLength = 48;
    const double LearningRate = 0.02;

    public string Folder { get; }
    public LmScanResult Scan { get; }
    public string RunDir { get; }
    public IReadOnlyList<string> Lines { get; }
    public bool[] TargetMembers { get; }
    public double TrainSeconds { get; }
    public Dictionary<string, double> FinalLosses { get; } = [];

    public ReferenceFamilyFixture()
    {
        Folder = TinyModels.TempDir("mia-family");
        // the corpus's lines are paragraphs (~300 chars); sentences make short, numerous units
        Lines = ProseCorpus.LoadMobyDick().Lines()
            .SelectMany(l => System.Text.RegularExpressions.Regex.Split(l, @"(?<=[.!?;])\s+"))
            .Select(l => l.Trim()).Where(l => l.Length is >= 40 and <= 100).Distinct().Take(Units).ToList();
        var tokenizer = CharTokenizer.FromText(string.Join("\n", Lines));
        var random = new Random(2024);
        TargetMembers = Lines.Select(_ => random.Next(2) == 1).ToArray();
        var halves = BalancedHalves(Lines.Count, References, random);

        var watch = Stopwatch.StartNew();
        var membership = new List<MembershipRow>();
        // one torch thread: on a shared 2-core machine libtorch's spinning worker threads burned 15x
        // the CPU time for the same models; the previous setting is restored for the other tests
        int threads = TorchSharp.torch.get_num_threads();
        try
        {
            Train("target", Folder, TargetMembers, tokenizer, seed: 1, membership);
            for (int r = 0; r < References; r++)
                Train($"ref-{r:D2}", Path.Combine(Folder, $"ref-{r:D2}"), halves[r], tokenizer, seed: 100 + r, membership);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
        TrainSeconds = watch.Elapsed.TotalSeconds;
        ParquetTable<TrainingUnitRow>.WriteAsync(Path.Combine(Folder, TrainingUnitRow.FileName),
            Lines.Select((l, i) => new TrainingUnitRow { UnitId = UnitId(i), UnitKind = "document", Text = l })).GetAwaiter().GetResult();
        ParquetTable<MembershipRow>.WriteAsync(Path.Combine(Folder, MembershipRow.FileName), membership).GetAwaiter().GetResult();

        Scan = LmScan.Run(new LmScanPlan
        {
            ModelPath = Path.Combine(Folder, "model.onnx"),
            RunsRoot = Path.Combine(Folder, "runs"),
            RunId = "mia",
            Probes = [MiaProbe.Name],
            Mia = new MiaSettings { BootstrapResamples = 200 },
        });
        RunDir = Path.Combine(Folder, "runs", "mia");
    }

    public static string UnitId(int i) => $"doc-{i:D6}";

    /// <summary>Every unit IN for exactly half of the models (LiRA's balanced splits).</summary>
    static bool[][] BalancedHalves(int units, int models, Random random)
    {
        var member = Enumerable.Range(0, models).Select(_ => new bool[units]).ToArray();
        var order = Enumerable.Range(0, models).ToArray();
        for (int u = 0; u < units; u++)
        {
            random.Shuffle(order);
            for (int k = 0; k < models / 2; k++) member[order[k]][u] = true;
        }
        return member;
    }

    void Train(string name, string dir, bool[] members, CharTokenizer tokenizer, int seed, List<MembershipRow> membership)
    {
        // the chosen lines repeated: every epoch sees them in one order, windows cut across lines as in real training
        string text = string.Join("\n", Lines.Where((_, i) => members[i])) + "\n";
        var config = TinyModels.Config(steps: Steps, hidden: Hidden) with
        {
            MaxChars = Math.Max(text.Length, 1000), BatchSize = 16, LearningRate = LearningRate, SequenceLength = SequenceLength, Threads = 1, Seed = seed, Canaries = [],
        };
        var trained = LmTrainer.Train(text, tokenizer, config);
        FinalLosses[name] = trained.FinalLoss;
        Directory.CreateDirectory(dir);
        string modelPath = Path.Combine(dir, "model.onnx");
        CharLstmOnnxExporter.Export(trained.Model, modelPath);
        new ModelManifest
        {
            Kind = "language-model",
            Architecture = "char-lstm",
            ModelFile = "model.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = tokenizer.Symbols },
            Io = new LmIoSpec
            {
                InputIds = CharLstmOnnxExporter.InputIds,
                Logits = CharLstmOnnxExporter.Logits,
                State = [new(CharLstmOnnxExporter.H0, CharLstmOnnxExporter.Hn), new(CharLstmOnnxExporter.C0, CharLstmOnnxExporter.Cn)],
            },
            Training = new TrainingRecord { Corpus = "moby-dick-lines", Seed = seed, Steps = trained.Steps, FinalLoss = trained.FinalLoss },
        }.Save(ModelManifest.PathFor(modelPath));
        for (int i = 0; i < members.Length; i++)
            membership.Add(new MembershipRow { Model = name, UnitId = UnitId(i), UnitKind = "document", IsMember = members[i] });
    }

}
