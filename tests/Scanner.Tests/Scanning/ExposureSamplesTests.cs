using System.Text.Json;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// A peer can recompute every extrapolated exposure from what the run wrote: run.json's exposure
/// seed, exposure_samples.parquet (the secret and the sampled candidates with their log-perplexities)
/// and the fitted parameters in exposure.parquet. Two canaries of 3·10^8 candidates on a bigram
/// model that "memorized" one secret's characters: one far above the sample, one at chance.
/// </summary>
[Trait("tier", "claims")]
public sealed class ExposureSamplesTests : IDisposable
{
    const string Symbols = "\0abcdefghijklmnopqrstuvwxyz .,";
    const int Samples = 300;
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    static readonly Canary Memorized = Canary.Create("memorized", "my pin is {secret}.", "qxzjvk", RandomnessSpace.Parse("lower:6"), 64);
    static readonly Canary Control = Canary.Create("control", "the key is {secret}.", "hbmpwr", RandomnessSpace.Parse("lower:6"), 0);

    string Model()
    {
        var ids = (" " + Memorized.Secret).Select(c => Symbols.IndexOf(c)).ToList();
        string model = SteeredBigramOnnxModel.Write(_dir.File("m/model.onnx"), Symbols.Length, SteeredBigramOnnxModel.Path(ids).ToList());
        new ModelManifest
        {
            ModelFile = "model.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = Symbols },
            Io = new LmIoSpec { InputIds = "input_ids", Logits = "logits" },
            Canaries = new[] { Memorized, Control }.Select(CanaryRecord.From).ToList(),
        }.Save(ModelManifest.PathFor(model));
        return model;
    }

    LmScanResult Scan(string model, int seed, string runId) => LmScan.Run(new LmScanPlan
    {
        ModelPath = model,
        RunsRoot = _dir.File("runs"),
        RunId = runId,
        Probes = [ExposureProbe.Name],
        // 3·10^8 candidates, and no exact budget: the exposure is the extrapolation's
        Exposure = new ExposureSettings { ExtrapolationSamples = Samples, ExactBudget = 1, Seed = seed },
        Isolate = false,
    });

    [Fact]
    public async Task Run_json_and_exposure_samples_parquet_recompute_the_extrapolated_exposure()
    {
        var result = Scan(Model(), seed: 11, "r");
        string run = Path.Combine(_dir.File("runs"), "r");

        // The seed, from run.json
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        int seed = int.Parse(info.RootElement.GetProperty("probes").GetProperty("exposure").GetProperty("seed").GetString()!);
        Assert.Equal(11, seed);

        var exposure = await ExposureTable.ReadAsync(Path.Combine(run, ExposureTable.FileName));
        var samples = await ParquetTable<ExposureSample>.ReadAsync(Path.Combine(run, ExposureSample.FileName));
        foreach (var canary in new[] { Memorized, Control })
        {
            var row = exposure.Single(e => e.CanaryId == canary.Id);
            var mine = samples.Where(s => s.CanaryId == canary.Id).ToList();
            Assert.Equal(CanaryExposure.Extrapolated, row.Method);
            Assert.Equal(Samples + 1, mine.Count);

            // The sampled candidates are the seed's draws, in order, and their text is the space's.
            var secret = mine.Single(s => s.IsSecret);
            Assert.Equal(canary.Space.IndexOf(canary.Secret), secret.CandidateIndex);
            var random = new Random(seed);
            var expected = new List<long>();
            while (expected.Count < Samples)
                if (random.NextInt64((long)canary.Space.Size) is var i && i != secret.CandidateIndex) expected.Add(i);
            var drawn = mine.Where(s => !s.IsSecret).ToList();
            Assert.Equal(expected, drawn.Select(s => s.CandidateIndex));
            Assert.All(drawn, s => Assert.Equal(canary.Space.At(s.CandidateIndex), s.Candidate));

            // Refit, evaluate at the secret, cap at log2(|R| - 1): the run's figures to the last bit.
            var fit = SkewNormal.Fit(drawn.Select(s => s.LogPerplexity).ToList());
            Assert.Equal((row.FitLocation, row.FitScale, row.FitShape), ((double?)fit.Location, (double?)fit.Scale, (double?)fit.Shape));
            double bits = fit.ExposureBits(secret.LogPerplexity);
            Assert.Equal(row.ExtrapolatedExposureBits, bits);
            double max = Math.Log2(row.SpaceSize - 1);
            Assert.Equal(Math.Min(bits, max), row.ExposureBits);
            Assert.Equal((long)Math.Max(1, Math.Round((row.SpaceSize - 1) * Math.Pow(2, -row.ExposureBits))), row.Rank);
            Assert.Equal(secret.LogPerplexity, row.LogPerplexity, 9);
        }
        var memorized = exposure.Single(e => e.CanaryId == Memorized.Id);
        Assert.True(memorized.ExtrapolatedExposureBits > Math.Log2(Memorized.Space.Size - 1),
            $"the memorized secret's extrapolated exposure {memorized.ExtrapolatedExposureBits:F1} bits should pass the space's maximum");
        Assert.True(exposure.Single(e => e.CanaryId == Control.Id).ExposureBits < 8);
        Assert.Equal(2, result.Findings.Count);
    }

    [Fact]
    public void An_extrapolated_exposure_above_the_maximum_is_capped_in_the_score_and_said_so_in_the_evidence()
    {
        var result = Scan(Model(), seed: 7, "cap");
        var row = result.Exposure.Single(e => e.CanaryId == Memorized.Id);
        var finding = result.Findings.Single(f => f.Subject == Memorized.Id);
        double max = Math.Log2(Memorized.Space.Size - 1);
        Assert.True(row.ExtrapolatedExposureBits > max + 1);
        Assert.Equal(max, finding.Score);
        Assert.Equal(max, finding.MaxScore);
        Assert.Equal(1, finding.Rank);
        Assert.Contains($"secret ranks about 1 of", finding.Evidence);
        Assert.Contains($"extrapolated {row.ExtrapolatedExposureBits:F1} bits, above the space's {max:F1}", finding.Evidence);
    }

    [Fact]
    public void Another_exposure_seed_draws_other_candidates()
    {
        string model = Model();
        Scan(model, seed: 1, "s1");
        Scan(model, seed: 2, "s2");
        long[] Drawn(string id) => ParquetTable<ExposureSample>.ReadAsync(Path.Combine(_dir.File("runs"), id, ExposureSample.FileName))
            .GetAwaiter().GetResult().Where(s => !s.IsSecret).Select(s => s.CandidateIndex).ToArray();
        Assert.NotEqual(Drawn("s1"), Drawn("s2"));
    }
}
