using System.CommandLine;
using MemScan.Scanner;
using MemScan.Tui.Demo;

namespace MemScan.Tui.Cli;

/// <summary><c>memscan-tui [RUNS_DIR]</c>, plus hidden options that write demo data for tests and screenshots.</summary>
internal static class TuiCommand
{
    public static RootCommand Create()
    {
        var runsDir = new Argument<DirectoryInfo>("RUNS_DIR")
        {
            Description = "folder holding run folders (runs/<run-id>/) and sweeps/",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => new DirectoryInfo("runs"),
        };
        var demoData = new Option<DirectoryInfo?>("--demo-data")
        {
            Description = "write a demo runs folder into DIR and exit", Hidden = true,
        };
        var demoRows = new Option<int>("--demo-rows")
        {
            Description = "with --demo-data: also write a run with this many findings", Hidden = true,
        };
        var root = new RootCommand("memscan-tui: triage MemScan findings from the keyboard (runs, findings, plots, live runs)")
        {
            runsDir, demoData, demoRows,
        };
        root.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(demoData) is { } demo)
            {
                if (Directory.Exists(demo.FullName) && Directory.EnumerateFileSystemEntries(demo.FullName).Any())
                    throw new MemScanException($"--demo-data {demo.FullName}: folder is not empty; give a new or empty folder");
                await DemoRuns.WriteAsync(demo.FullName, parsed.GetValue(demoRows), cancellationToken);
                Console.WriteLine($"demo runs written to {demo.FullName}");
                return 0;
            }
            DirectoryInfo dir = parsed.GetValue(runsDir)!;
            if (!dir.Exists)
                throw new MemScanException(
                    $"runs folder {dir.FullName} does not exist (give the folder your scans write to: memscan-tui RUNS_DIR)");
            return TuiApp.Run(dir.FullName);
        });
        return root;
    }
}
