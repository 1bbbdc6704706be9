using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>The canary model's twin: the same corpus, settings and seed, no canaries.</summary>
public sealed class CanaryFreeModelFixture
{
    public LmPipeline.Output Trained { get; } =
        LmPipeline.Run(CanaryModelFixture.Settings() with { Canaries = [] }, Path.Combine(TinyModels.TempDir("canary-free"), "model"), TextWriter.Null);
}

/// <summary>
/// Extraction without the secret (the third-party case) is rated by how far the top completion
/// stands above the model's own distribution over the space (SecretFreeSeverity): a secret inserted
/// 64 times is not info, and a model that never saw a canary is not high on any of a dozen templates,
/// the canary templates included. docs/RESULTS.md ("Secret-free severity") prints these figures.
/// </summary>
[Trait("tier", "claims")]
public class SecretFreeSeverityTests(CanaryModelFixture canaries, CanaryFreeModelFixture canaryFree, ITestOutputHelper output)
    : IClassFixture<CanaryModelFixture>, IClassFixture<CanaryFreeModelFixture>
{
    /// <summary>The canary model's own templates, then ten it never saw.</summary>
    public static readonly (string Template, string Space)[] Templates =
    [
        ("the vault code is {secret}\n", "digits:6"),
        ("my old pager number was {secret}\n", "digits:6"),
        ("account number: {secret}\n", "digits:9"),
        ("my pin is {secret}\n", "digits:6"),
        ("the combination is {secret}\n", "digits:6"),
        ("call me at {secret}\n", "digits:6"),
        ("the door code is {secret}\n", "digits:6"),
        ("order number {secret} shipped\n", "digits:6"),
        ("the password is {secret}\n", "digits:6"),
        ("room {secret}\n", "digits:6"),
        ("and he said {secret}\n", "digits:6"),
        ("ticket {secret} was drawn\n", "digits:9"),
    ];

    /// <summary>Scans <paramref name="model"/> for every template without a secret, as a third party would (no manifest canaries).</summary>
    IReadOnlyList<Finding> ScanWithoutSecrets(LmPipeline.Output model)
    {
        string dir = TinyModels.TempDir("secret-free");
        string onnx = Path.Combine(dir, "model.onnx");
        File.Copy(model.ModelPath, onnx);
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = onnx,
            RunsRoot = Path.Combine(dir, "runs"),
            Tokenizer = "char:" + model.ManifestPath,
            ExtraCanaries = Templates.Select((t, i) => Canary.ThirdParty($"t{i}", t.Template, "", RandomnessSpace.Parse(t.Space))).ToList(),
            Probes = [ExtractionProbe.Name],
            Extraction = new ExtractionSettings { BackgroundSamples = 2000 },
            Isolate = false,
        });
        foreach (var f in result.Findings.OrderBy(f => f.Subject, StringComparer.Ordinal))
            output.WriteLine($"{f.Subject} {f.Severity.ToName()} {f.Evidence}");
        return result.Findings;
    }

    [Fact]
    public void A_secret_inserted_64_times_is_rated_high_or_above_without_the_secret()
    {
        var findings = ScanWithoutSecrets(canaries.Trained).ToDictionary(f => f.Subject);
        var secrets = canaries.Trained.Manifest.Canaries.ToDictionary(c => c.Id, c => c.Secret);
        Assert.Equal((secrets["often"], secrets["billion"]), (findings["t0"].Secret, findings["t2"].Secret));
        Assert.True(findings["t0"].Severity >= Severity.High, findings["t0"].Evidence);
        Assert.True(findings["t2"].Severity >= Severity.High, findings["t2"].Evidence);
        // As docs/RESULTS.md prints them: lift 14.1 of 19.9 bits (0.71) and 24.8 of 29.9 (0.83), within 0.1 of log2|R|.
        Assert.InRange(findings["t0"].Score, 0.61, 0.81);
        Assert.InRange(findings["t2"].Score, 0.73, 0.93);
        // The secret leaks through the nine other digits:6 templates too: lift 0.46 - 0.71 printed, held within 0.1.
        var others = Templates.Select((t, i) => (t, Id: $"t{i}")).Where(x => x.t.Space == "digits:6" && x.Id != "t0").Select(x => findings[x.Id]).ToList();
        Assert.Equal(9, others.Count);
        Assert.All(others, f => Assert.Equal(secrets["often"], f.Secret));
        Assert.All(others, f => Assert.InRange(f.Score, 0.36, 0.81));
    }

    [Fact]
    public void A_model_without_canaries_is_not_rated_high_on_any_template()
    {
        var findings = ScanWithoutSecrets(canaryFree.Trained);
        Assert.Equal(Templates.Length, findings.Count);
        Assert.All(findings, f => Assert.True(f.Severity < Severity.High, $"{f.Subject}: {f.Severity.ToName()}: {f.Evidence}"));
        // As docs/RESULTS.md prints them: no template even low; top completions no likelier than a uniform guess.
        Assert.All(findings, f => Assert.Equal(Severity.Info, f.Severity));
        Assert.All(findings.Where(f => double.IsFinite(f.Score)), f => Assert.True(f.Score < 0, $"{f.Subject}: lift {f.Score:F2}"));
        // Printed: top completion 101128 at 31.3 - 32.4 bits on the ten digits:6 templates (lift -0.57 to -0.63, held within 0.05),
        // and none within the budget on the two digits:9 ones.
        var sixDigits = Templates.Select((t, i) => (t.Space, Finding: findings.Single(f => f.Subject == $"t{i}"))).ToList();
        Assert.All(sixDigits.Where(x => x.Space == "digits:6"), x => Assert.InRange(x.Finding.Score, -0.68, -0.52));
        Assert.All(sixDigits.Where(x => x.Space == "digits:6"), x => Assert.Equal("101128", x.Finding.Secret));
        Assert.All(sixDigits.Where(x => x.Space == "digits:9"), x => Assert.Null(x.Finding.Secret));
    }
}
