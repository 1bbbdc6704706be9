using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// tests/Deploy/fixtures holds the model the shell tests sweep (the published build, the Slurm
/// cluster), which cannot call the C# model builders: it must be exactly TinySweep's bigram and
/// manifest. MEMSCAN_WRITE_FIXTURES=1 rewrites it.
/// </summary>
public class DeployFixtureTests
{
    [Fact]
    public void The_shell_tests_model_is_the_tiny_sweep_bigram_and_its_manifest()
    {
        string fixtures = FixturesFolder();
        string fresh = Path.Combine(Path.GetTempPath(), "memscan-fixture-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(fresh);
        try
        {
            string model = BigramOnnxModel.Write(Path.Combine(fresh, "tiny.onnx"), TinySweep.Symbols.Length, seed: 7);
            new ModelManifest
            {
                Architecture = "bigram",
                ModelFile = "tiny.onnx",
                Tokenizer = new TokenizerSpec { Kind = "char", Symbols = TinySweep.Symbols },
            }.Save(ModelManifest.PathFor(model));
            foreach (string file in Directory.GetFiles(fresh).Order())
            {
                string committed = Path.Combine(fixtures, Path.GetFileName(file));
                if (Environment.GetEnvironmentVariable("MEMSCAN_WRITE_FIXTURES") == "1") File.Copy(file, committed, overwrite: true);
                Assert.True(File.Exists(committed), $"{committed} is missing (MEMSCAN_WRITE_FIXTURES=1 writes it)");
                Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(committed));
            }
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    static string FixturesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MemScan.sln")))
                return Path.Combine(dir.FullName, "tests", "Deploy", "fixtures");
        Assert.Skip("tests/Deploy/fixtures not found above the test binaries");
        return "";
    }
}
