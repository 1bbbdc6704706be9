using System.Xml.Linq;

namespace MemScan.Scanner.Tests.Architecture;

/// <summary>
/// The dependency direction of the solution, as the compiler can enforce it through project
/// references: Trainer -> Core, Scanner -> Core, Tui -> Core, and Core -> nothing of ours. Each tool
/// also keeps out the heavy packages it must not load (the scanner never downloads libtorch, the
/// triage UI never loads ONNX Runtime or ML.NET, Core carries no runtime or console UI).
/// </summary>
internal static class ProjectRules
{
    /// <summary>Each source project (folder under src/) and the projects of ours it may reference.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedProjects = new Dictionary<string, string[]>
    {
        ["Core"] = [],
        ["Scanner"] = ["Core"],
        ["Trainer"] = ["Core"],
        ["Tui"] = ["Core"],
    };

    private static readonly string[] OnnxRuntime = ["Microsoft.ML.OnnxRuntime", "Microsoft.ML.OnnxRuntime.Gpu", "Microsoft.ML.OnnxRuntime.Gpu.Linux"];
    private static readonly string[] MlNet = ["Microsoft.ML", "Microsoft.ML.FastTree"];
    private static readonly string[] Torch = ["TorchSharp", "libtorch-cpu-linux-x64"];
    private static readonly string[] ConsoleUis = ["Spectre.Console", "Terminal.Gui"];

    /// <summary>Packages each source project must not reference.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ForbiddenPackages = new Dictionary<string, string[]>
    {
        ["Core"] = [.. OnnxRuntime, .. MlNet, .. Torch, .. ConsoleUis, "ScottPlot"],
        ["Scanner"] = [.. Torch, "Terminal.Gui"],
        ["Trainer"] = [.. OnnxRuntime, .. MlNet, .. ConsoleUis, "ScottPlot"],
        ["Tui"] = [.. OnnxRuntime, .. MlNet, .. Torch, "Spectre.Console", "ScottPlot"],
    };

    /// <summary>
    /// The broken rules of one project file: a reference to a project of ours it may not use, or a
    /// forbidden package. <paramref name="project"/> is the folder name under src/.
    /// </summary>
    public static IReadOnlyList<string> Violations(string project, string csprojXml)
    {
        if (!AllowedProjects.TryGetValue(project, out var allowed))
            return [$"src/{project} has no dependency rule; add it to ProjectRules and docs/ARCHITECTURE.md"];
        var doc = XDocument.Parse(csprojXml);
        var problems = new List<string>();
        foreach (var reference in doc.Descendants("ProjectReference"))
        {
            string include = (string?)reference.Attribute("Include") ?? "";
            string target = Path.GetFileNameWithoutExtension(include.Replace('\\', '/'));
            if (!allowed.Contains(target))
                problems.Add($"src/{project} references {target} ({include}); allowed: {(allowed.Length == 0 ? "none of ours" : string.Join(", ", allowed))}");
        }
        foreach (var package in doc.Descendants("PackageReference"))
        {
            string include = (string?)package.Attribute("Include") ?? "";
            if (ForbiddenPackages[project].Contains(include, StringComparer.OrdinalIgnoreCase))
                problems.Add($"src/{project} references the package {include}, which it must not load");
        }
        return problems;
    }
}
