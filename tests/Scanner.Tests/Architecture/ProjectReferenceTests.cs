using Xunit;

namespace MemScan.Scanner.Tests.Architecture;

/// <summary>
/// The project files keep the direction docs/ARCHITECTURE.md draws: Trainer -> Core <- Scanner,
/// Tui -> Core, Core -> nothing of ours, and no tool references a package it must not load.
/// </summary>
public sealed class ProjectReferenceTests
{
    [Fact]
    public void Every_source_project_references_only_what_the_direction_allows()
    {
        string src = SourceFolder();
        var projects = Directory.GetDirectories(src)
            .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(["Core", "Scanner", "Trainer", "Tui"], projects);
        var problems = projects
            .SelectMany(p => ProjectRules.Violations(p, File.ReadAllText(Directory.GetFiles(Path.Combine(src, p), "*.csproj").Single())))
            .ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("Trainer", "<ProjectReference Include=\"../Scanner/Scanner.csproj\" />", "src/Trainer references Scanner")]
    [InlineData("Tui", "<ProjectReference Include=\"..\\Scanner\\Scanner.csproj\" />", "src/Tui references Scanner")]
    [InlineData("Core", "<ProjectReference Include=\"../Trainer/Trainer.csproj\" />", "src/Core references Trainer")]
    [InlineData("Scanner", "<PackageReference Include=\"TorchSharp\" />", "src/Scanner references the package TorchSharp")]
    [InlineData("Tui", "<PackageReference Include=\"Microsoft.ML.OnnxRuntime\" />", "src/Tui references the package Microsoft.ML.OnnxRuntime")]
    [InlineData("Core", "<PackageReference Include=\"Spectre.Console\" />", "src/Core references the package Spectre.Console")]
    public void A_forbidden_reference_is_reported(string project, string item, string expected)
    {
        string csproj = $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"../Core/Core.csproj\" />{item}</ItemGroup></Project>";
        if (project == "Core") csproj = csproj.Replace("<ProjectReference Include=\"../Core/Core.csproj\" />", "");
        var problems = ProjectRules.Violations(project, csproj);
        Assert.Single(problems);
        Assert.StartsWith(expected, problems[0]);
    }

    [Fact]
    public void A_project_without_a_rule_is_reported()
    {
        var problems = ProjectRules.Violations("Plugins", "<Project />");
        Assert.Contains("no dependency rule", Assert.Single(problems));
    }

    [Fact]
    public void The_triage_ui_does_not_load_onnx_runtime_or_mlnet()
    {
        // the Tui's own dependency manifest lists every assembly its process can load
        string deps = RepoDocs.Read("src/Tui/bin/Debug/net10.0/memscan-tui.deps.json");
        Assert.Contains("MemScan.Core", deps);
        foreach (var package in new[] { "Microsoft.ML.OnnxRuntime", "\"Microsoft.ML/", "Microsoft.ML.FastTree", "TorchSharp", "ScottPlot" })
            Assert.DoesNotContain(package, deps);
    }

    private static string SourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MemScan.sln")))
                return Path.Combine(dir.FullName, "src");
        Assert.Skip("src/ not found above the test binaries");
        return "";
    }
}
