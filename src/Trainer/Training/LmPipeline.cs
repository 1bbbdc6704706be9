using System.Security.Cryptography;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.References;

namespace MemScan.Trainer.Training;

/// <summary>
/// Corpus → canaries → training → model.onnx + model.memscan.json, the Trainer's main job for LMs.
/// With <c>references</c> or <c>holdout_fraction</c> set it also splits the corpus into units
/// (<see cref="LmUnits"/>), trains the target on its members, trains the reference models beside it
/// (<c>ref-00</c> … on random halves of all units, <c>ref-clean</c> on the target's documents
/// without canaries) and writes <c>units.parquet</c> and <c>membership.parquet</c>.
/// </summary>
public static class LmPipeline
{
    public sealed record Output(string ModelPath, string ManifestPath, ModelManifest Manifest, LmTrainingResult Training)
    {
        /// <summary>The reference models, in membership-table order (ref-00 …, then ref-clean); empty without references.</summary>
        public IReadOnlyList<Output> References { get; init; } = [];
        /// <summary>membership.parquet and units.parquet, when the run split the corpus into units.</summary>
        public string? MembershipPath { get; init; }
        public string? UnitsPath { get; init; }
    }

    public static Output Run(LmTrainConfig config, string outDir, TextWriter log, string? textOverride = null, bool resume = false)
    {
        config.Validate();
        var corpus = textOverride is null
            ? TrainingCorpus.Load(config.Corpus, config.MaxChars)
            : TrainingCorpus.FromText("inline", textOverride);
        var canaries = CanaryPlan.Draw(config.Canaries, config.Seed);
        // Rare characters become the unknown symbol; canary characters must survive. Every model of
        // a run shares this tokenizer (built from the whole corpus), so their scores are comparable.
        var tokenizer = CharTokenizer.FromText(corpus.Text, minCount: 20, mustInclude: canaries.SelectMany(c => c.Text + c.Space.Alphabet));
        log.WriteLine($"corpus {corpus.Name}: {corpus.Text.Length:N0} chars, vocabulary {tokenizer.VocabSize}, " +
                      $"{canaries.Count} canaries ({string.Join(", ", canaries.Select(c => $"{c.Id}×{c.Insertions}"))})");
        var job = new Job(config, outDir, log, corpus, tokenizer, resume);

        if (config.References == 0 && config.HoldoutFraction == 0)
            return job.Train(MembershipRow.Target, "target", outDir, config, CanaryPlan.Insert(corpus.Text, canaries, config.Seed), canaries, tables: false);

        var documents = LmUnits.Documents(corpus.Text);
        var units = documents.Concat(canaries.Select(LmUnits.Of)).ToList();
        var membership = new List<MembershipRow>();
        void Record(string model, Func<int, bool> documentIn, IReadOnlyList<Canary> trained)
        {
            for (int d = 0; d < documents.Count; d++)
                membership.Add(new MembershipRow { Model = model, UnitId = documents[d].Id, UnitKind = MembershipRow.Document, IsMember = documentIn(d) });
            foreach (var c in trained)
                membership.Add(new MembershipRow { Model = model, UnitId = c.Id, UnitKind = MembershipRow.Canary, IsMember = c.Insertions > 0 });
        }

        var targetIn = MembershipPlan.Bernoulli(documents.Count, 1 - config.HoldoutFraction, StepSeed.For(config.Seed, 0, salt: 0x4e1d));
        string TextOf(Func<int, bool> documentIn, IReadOnlyList<Canary> included, int seed) =>
            CanaryPlan.Insert(LmUnits.Join(documents.Where((_, d) => documentIn(d))), included, seed);
        log.WriteLine($"target: {targetIn.Count(m => m):N0} of {documents.Count:N0} documents, {config.References} reference model(s) + ref-clean");
        var target = job.Train(MembershipRow.Target, "target", outDir, config, TextOf(d => targetIn[d], canaries, config.Seed), canaries, tables: true);
        Record(MembershipRow.Target, d => targetIn[d], canaries);

        var halves = MembershipPlan.Halves(units.Count, config.References, StepSeed.For(config.Seed, 0, salt: 0x7a1f));
        var references = new List<Output>();
        for (int r = 0; r <= config.References; r++)
        {
            bool clean = r == config.References;
            string name = clean ? MembershipRow.CleanReference : MembershipRow.ReferenceName(r);
            // A different seed per reference: LiRA wants independent initializations and batches.
            var refConfig = config with { Seed = StepSeed.For(config.Seed, r + 1, salt: 0x2ef) };
            Func<int, bool> documentIn = clean ? d => targetIn[d] : d => halves[r][d];
            var trained = canaries.Select((c, i) => clean || !halves[r][documents.Count + i] ? c with { Insertions = 0 } : c).ToList();
            log.WriteLine($"{name}: {Enumerable.Range(0, documents.Count).Count(documentIn):N0} documents, canaries {string.Join(", ", trained.Select(c => $"{c.Id}×{c.Insertions}"))}");
            references.Add(job.Train(name, clean ? "clean-reference" : "reference", Path.Combine(outDir, name), refConfig,
                TextOf(documentIn, trained, refConfig.Seed), trained, tables: true));
            Record(name, documentIn, trained);
        }

        string unitsPath = Path.Combine(outDir, TrainingUnitRow.FileName);
        string membershipPath = Path.Combine(outDir, MembershipRow.FileName);
        ParquetTable<TrainingUnitRow>.WriteAsync(unitsPath, units.Select(u => new TrainingUnitRow { UnitId = u.Id, UnitKind = u.Kind, Text = u.Text }))
            .GetAwaiter().GetResult();
        ParquetTable<MembershipRow>.WriteAsync(membershipPath, membership).GetAwaiter().GetResult();
        log.WriteLine($"wrote {unitsPath} ({units.Count:N0} units) and {membershipPath} ({membership.Count:N0} rows)");
        return target with { References = references, MembershipPath = membershipPath, UnitsPath = unitsPath };
    }

    /// <summary>What every model of one run shares; <see cref="Train"/> trains, exports and describes one model.</summary>
    sealed record Job(LmTrainConfig Config, string OutDir, TextWriter Log, TrainingCorpus Corpus, CharTokenizer Tokenizer, bool Resume)
    {
        public Output Train(string name, string role, string dir, LmTrainConfig config, string text, IReadOnlyList<Canary> canaries, bool tables)
        {
            Log.WriteLine($"training {name} char-LSTM ({config.Mode}): {config.Layers}×{config.Hidden} hidden, {config.Steps} steps of {config.BatchSize}×{config.SequenceLength}");
            var trained = LmTrainer.Train(text, Tokenizer, config, Log, Checkpointing.For(dir, config.CheckpointEvery, Resume));
            Directory.CreateDirectory(dir);
            string modelPath = Path.Combine(dir, "model.onnx");
            CharLstmOnnxExporter.Export(trained.Model, modelPath);
            var dp = trained.Privacy;
            string up = Path.GetRelativePath(dir, OutDir);
            string Beside(string file) => up == "." ? file : Path.Combine(up, file);
            var manifest = new ModelManifest
            {
                Kind = "language-model",
                Architecture = "char-lstm",
                ModelFile = Path.GetFileName(modelPath),
                ModelSha256 = Sha256Of(modelPath),
                Tokenizer = new TokenizerSpec { Kind = "char", Symbols = Tokenizer.Symbols },
                Io = new LmIoSpec
                {
                    InputIds = CharLstmOnnxExporter.InputIds,
                    Logits = CharLstmOnnxExporter.Logits,
                    State = [new(CharLstmOnnxExporter.H0, CharLstmOnnxExporter.Hn), new(CharLstmOnnxExporter.C0, CharLstmOnnxExporter.Cn)],
                },
                Canaries = canaries.Select(CanaryRecord.From).ToList(),
                Samples = SampleWriter.Write(dir, text, Corpus.HeldOutLines, config.Seed),
                Training = new TrainingRecord
                {
                    Corpus = Corpus.Name,
                    CorpusSha256 = Corpus.Sha256,
                    CorpusChars = Corpus.Text.Length,
                    Seed = config.Seed,
                    Mode = config.Mode,
                    Steps = trained.Steps,
                    BatchSize = config.BatchSize,
                    SequenceLength = config.SequenceLength,
                    LearningRate = config.LearningRate,
                    FinalLoss = trained.FinalLoss,
                    Seconds = trained.Seconds,
                    Trainer = "memscan-train " + typeof(LmPipeline).Assembly.GetName().Version,
                    ClipNorm = dp?.ClipNorm ?? config.ClipNorm,
                    NoiseMultiplier = dp?.NoiseMultiplier,
                    SamplingRate = dp?.SamplingRate,
                    Sampling = dp?.Sampling,
                    Epsilon = dp?.Spent.Epsilon,
                    Delta = dp?.Spent.Delta,
                    Accountant = dp is null ? null : $"rdp-sampled-gaussian/{dp.Spent.Conversion.ToString().ToLowerInvariant()}-conversion (order {dp.Spent.Order:G4})",
                    Dropout = config.Dropout > 0 ? config.Dropout : null,
                    WeightDecay = config.WeightDecay > 0 ? config.WeightDecay : null,
                    Role = tables ? role : null,
                    MembershipModel = tables ? name : null,
                    MembershipFile = tables ? Beside(MembershipRow.FileName) : null,
                    UnitsFile = tables ? Beside(TrainingUnitRow.FileName) : null,
                },
                Hyper = new() { ["embedding"] = config.Embedding, ["hidden"] = config.Hidden, ["layers"] = config.Layers, ["vocab"] = Tokenizer.VocabSize },
            };
            string manifestPath = ModelManifest.PathFor(modelPath);
            manifest.Save(manifestPath);
            Log.WriteLine($"wrote {modelPath} and {manifestPath}");
            return new Output(modelPath, manifestPath, manifest, trained);
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
