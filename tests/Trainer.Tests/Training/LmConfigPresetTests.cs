using MemScan.Scanner;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Training;

public class LmConfigPresetTests
{
    internal static string Preset(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "corpora", "configs", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(name);
    }

    [Fact]
    public void The_dp_sgd_preset_loads_and_validates()
    {
        var c = LmTrainConfig.Load(Preset("lm-dp-sgd.json"));
        c.Validate();
        Assert.Equal(LmTrainConfig.DpSgd, c.Mode);
        Assert.Equal(8, c.Dp!.TargetEpsilon);
        Assert.Null(c.Dp.NoiseMultiplier);
    }

    [Fact]
    public void The_references_preset_loads_and_validates()
    {
        var c = LmTrainConfig.Load(Preset("lm-references.json"));
        c.Validate();
        Assert.Equal(4, c.References);
        Assert.Equal(0.5, c.HoldoutFraction);
    }

    /// <summary>Every preset in corpora/configs loads (unknown keys are refused) and validates; the GPT preset is the built-in default plus checkpoints.</summary>
    [Fact]
    public void Every_preset_loads_and_validates()
    {
        string dir = Path.GetDirectoryName(Preset("lm-dp-sgd.json"))!;
        var files = Directory.GetFiles(dir, "*.json").Where(f => !f.EndsWith(".profile.json")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["cnn-dp-sgd.json", "cnn-fashion.json", "cnn-noisy-labels.json", "cnn-pretrain-random-labels.json", "cnn-random-labels.json", "cnn-similarity.json", "demo-char-lstm.json", "gpt-similarity.json", "gpt-spam.json",
            "lm-dp-sgd.json", "lm-references.json", "lm-trajectory.json"], files);
        foreach (var f in files.Where(f => f!.StartsWith("cnn-"))) CnnTrainConfig.Load(Preset(f!)).Validate();
        foreach (var f in files.Where(f => f!.StartsWith("lm-") || f!.StartsWith("demo-"))) LmTrainConfig.Load(Preset(f!)).Validate();

        GptTrainConfig.Load(Preset("gpt-similarity.json")).Validate();
        var gpt = GptTrainConfig.Load(Preset("gpt-spam.json"));
        gpt.Validate();
        Assert.Equal(50, gpt.CheckpointEvery);
        Assert.Equal(new GptTrainConfig().ToJson(), (gpt with { CheckpointEvery = 0 }).ToJson());
    }

    [Fact]
    public void A_dp_config_needs_exactly_one_of_noise_and_target_epsilon_and_says_what_it_got()
    {
        var c = TinyModels.Config() with { Mode = LmTrainConfig.DpSgd, Dp = new() { NoiseMultiplier = 1, TargetEpsilon = 3 } };
        var e = Assert.Throws<MemScanException>(c.Validate);
        Assert.Contains("noise_multiplier 1", e.Message);
        Assert.Contains("target_epsilon 3", e.Message);
        Assert.Throws<MemScanException>((TinyModels.Config() with { Mode = "random-labels" }).Validate);
        Assert.Throws<MemScanException>((TinyModels.Config() with { Mode = LmTrainConfig.DpSgd }).Validate);
    }
}
