using MemScan.Scanner.Manifest;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Training;

/// <summary>
/// What the trainer writes that holds secrets — the manifest (canary secrets), the sample files
/// (lines of real training emails), the checkpoint — is owner-only, like the scanner's results.
/// </summary>
public class SecretFileModeTests
{
    [Fact]
    public void Manifest_samples_and_checkpoint_are_owner_only()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes");
        string dir = TinyModels.TempDir("modes");
        var output = LmPipeline.Run(TinyModels.Config(steps: 2, hidden: 8) with { CheckpointEvery = 2 }, dir, TextWriter.Null);
        var samples = output.Manifest.Samples!;
        string[] secret =
        [
            output.ManifestPath,
            ModelManifest.ResolveFile(output.ManifestPath, samples.Members!, "members"),
            ModelManifest.ResolveFile(output.ManifestPath, samples.NonMembers!, "non-members"),
            Path.Combine(dir, "checkpoint", "checkpoint.bin"),
        ];
        foreach (string path in secret)
            Assert.True(File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{path}: {File.GetUnixFileMode(path)}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dir, "samples")));
        Assert.Contains(output.Manifest.Canaries, c => c.Secret.Length > 0);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }
}
