using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Terminal.Gui.Input;

namespace MemScan.Bench.Tui;

/// <summary>
/// The triage screen on a large findings table, step by step, for each build of memscan-tui:
/// open to the first screen, sort by each column, filter, scroll to the end, mark a finding and
/// save. Each step reports when its result was on screen ("ready") and the longest the keyboard
/// was blocked on the way ("stall": the longest single piece of UI-thread work).
/// </summary>
public static class TriageUiBench
{
    /// <summary>
    /// Every build on the same generated run, each in a fresh process of this bench (so one build's
    /// heap and caches cannot slow the other's collections), after a warm-up on a small run there.
    /// </summary>
    /// <param name="builds">Name and memscan-tui.dll path of each build; a null path is this tree's.</param>
    public static async Task<IReadOnlyList<(string Build, IReadOnlyList<(string Step, StepTiming Timing)> Steps)>> RunAsync(
        IReadOnlyList<(string Name, string? Dll)> builds, string work, int rows, int groupRows)
    {
        await TriageFixture.EnsureAsync(work, 20_000);
        await TriageFixture.EnsureAsync(work, rows, groupRows);
        var runs = new List<(string, IReadOnlyList<(string, StepTiming)>)>();
        foreach (var (name, dll) in builds)
            runs.Add((name, await InChildProcessAsync(dll, work, rows, groupRows)));
        return runs;
    }

    /// <summary>The child process's side of <see cref="RunAsync"/>: <c>--tui-child DLL|now WORK ROWS GROUP_ROWS</c>; steps on stdout.</summary>
    public static async Task<int> ChildMainAsync(string[] args)
    {
        TuiBuild build = args[1] == "now" ? TuiBuild.Current() : TuiBuild.Load("before", args[1]);
        string work = args[2];
        int rows = int.Parse(args[3], CultureInfo.InvariantCulture), groupRows = int.Parse(args[4], CultureInfo.InvariantCulture);
        // a small run first: JIT and first-use costs are not what a million rows cost
        Run(build, await TriageFixture.EnsureAsync(work, 20_000), 20_000);
        // EnsureAsync also drops the triage decision an earlier run saved
        foreach (var (step, timing) in Run(build, await TriageFixture.EnsureAsync(work, rows, groupRows), rows))
            Console.WriteLine(FormattableString.Invariant($"{step}\t{timing.Ready.TotalSeconds}\t{timing.LongestStall.TotalSeconds}"));
        return 0;
    }

    private static async Task<IReadOnlyList<(string, StepTiming)>> InChildProcessAsync(string? dll, string work, int rows, int groupRows)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (string arg in new[] { "--tui-child", dll ?? "now", work, $"{rows}", $"{groupRows}" })
            start.ArgumentList.Add(arg);
        using Process child = Process.Start(start)!;
        string output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"triage UI bench of {dll ?? "this tree"} exited {child.ExitCode}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).Select(f =>
            (f[0], new StepTiming(TimeSpan.FromSeconds(double.Parse(f[1], CultureInfo.InvariantCulture)),
                TimeSpan.FromSeconds(double.Parse(f[2], CultureInfo.InvariantCulture))))).ToList();
    }

    private static IReadOnlyList<(string Step, StepTiming Timing)> Run(TuiBuild build, string runsRoot, int rows)
    {
        var steps = new List<(string, StepTiming)>();
        var clock = Stopwatch.StartNew();
        using var app = new HeadlessTriageApp(build, runsRoot);
        StepTiming open = app.WaitIdle(clock);
        Expect(app, $"{rows:N0} of {rows:N0} findings");
        steps.Add(("open to first screen", open));

        // 's' cycles severity -> score -> probe -> severity (the score sort is by normalized score since the triage-UI issue)
        steps.Add(("sort by score", app.Press(Key.S)));
        Expect(app, "sort score", "sort normalized score");
        steps.Add(("sort by probe", app.Press(Key.S)));
        Expect(app, "sort probe");
        steps.Add(("sort by severity", app.Press(Key.S)));
        Expect(app, "sort severity");

        steps.Add(("filter severity >= low", app.Press(Key.V)));
        Expect(app, ">= low");
        const string text = "sample-00";
        steps.Add(($"filter text '{text}'", app.Press([(Key)'/', .. HeadlessTriageApp.Text(text), Key.Enter])));
        Expect(app, $"text '{text}'");
        // the prompt opens with the current text: erase it to clear the filter
        steps.Add(("clear filters", app.Press([(Key)'/', .. Enumerable.Repeat(Key.Backspace, text.Length), Key.Enter, Key.V, Key.V, Key.V, Key.V])));
        Expect(app, $"{rows:N0} of {rows:N0} findings");

        steps.Add(("scroll to end", app.Press(Key.Tab, Key.End.WithCtrl)));
        steps.Add(("scroll to start", app.Press(Key.Home.WithCtrl)));
        steps.Add(("mark a finding and save", app.Press([Key.C, .. HeadlessTriageApp.Text("bench note"), Key.Enter])));
        Expect(app, "saved:");
        // what the open run costs in memory: live managed heap after a full collection
        steps.Add(("(managed heap, MiB)", new StepTiming(TimeSpan.FromSeconds(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0), TimeSpan.Zero)));
        return steps;
    }

    /// <summary>Fails unless the status line has one of <paramref name="texts"/> (builds before and after a rename word it differently).</summary>
    private static void Expect(HeadlessTriageApp app, params string[] texts)
    {
        if (!texts.Any(text => app.StatusText.Contains(text, StringComparison.Ordinal)))
            throw new InvalidOperationException($"expected '{string.Join("' or '", texts)}' in the status line, got: {app.StatusText}");
    }

    /// <summary>Prints the builds' steps side by side: ready and stall seconds each, and the speed-up of "ready".</summary>
    public static void PrintSteps(TextWriter w, string title, IReadOnlyList<(string Build, IReadOnlyList<(string Step, StepTiming Timing)> Steps)> runs)
    {
        w.WriteLine();
        w.WriteLine(title);
        int width = runs[0].Steps.Max(s => s.Step.Length) + 2;
        w.Write($"  {"step".PadRight(width)}");
        foreach (var (build, _) in runs)
            w.Write($"{build + " ready",14}{build + " stall",14}");
        if (runs.Count > 1)
            w.Write($"{"speed-up",10}");
        w.WriteLine();
        for (int i = 0; i < runs[0].Steps.Count; i++)
        {
            if (runs[0].Steps[i].Step.StartsWith('('))
            {
                // a quantity, not a time: one figure per build
                w.WriteLine($"  {runs[0].Steps[i].Step.PadRight(width)}" +
                            string.Concat(runs.Select(r => $"{r.Steps[i].Timing.Ready.TotalSeconds,14:N0}{"",14}")));
                continue;
            }
            w.Write($"  {runs[0].Steps[i].Step.PadRight(width)}");
            foreach (var (_, steps) in runs)
                w.Write($"{Seconds(steps[i].Timing.Ready),14}{Seconds(steps[i].Timing.LongestStall),14}");
            if (runs.Count > 1)
                w.Write($"{runs[0].Steps[i].Timing.Ready / runs[^1].Steps[i].Timing.Ready,9:F1}x");
            w.WriteLine();
        }
        w.WriteLine("  ready: until the step's result is on screen; stall: longest single piece of UI-thread work (keys wait that long)");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 10 ? $"{t.TotalSeconds:F1} s" : $"{t.TotalSeconds:F3} s";
}
