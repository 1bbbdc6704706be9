using System.Diagnostics;
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
    /// <summary>Every build on the same generated run, each after a warm-up on a small one.</summary>
    public static async Task<IReadOnlyList<(TuiBuild Build, IReadOnlyList<(string Step, StepTiming Timing)> Steps)>> RunAsync(
        IReadOnlyList<TuiBuild> builds, string work, int rows, int groupRows)
    {
        var runs = new List<(TuiBuild, IReadOnlyList<(string, StepTiming)>)>();
        foreach (TuiBuild build in builds)
        {
            // a small run first: JIT and first-use costs are not what a million rows cost
            Run(build, await TriageFixture.EnsureAsync(work, 20_000), 20_000);
            // EnsureAsync also drops the triage decision an earlier run saved
            runs.Add((build, Run(build, await TriageFixture.EnsureAsync(work, rows, groupRows), rows)));
        }
        return runs;
    }

    private static IReadOnlyList<(string Step, StepTiming Timing)> Run(TuiBuild build, string runsRoot, int rows)
    {
        var steps = new List<(string, StepTiming)>();
        var clock = Stopwatch.StartNew();
        using var app = new HeadlessTriageApp(build, runsRoot);
        StepTiming open = app.WaitIdle(clock);
        Expect(app, $"{rows:N0} of {rows:N0} findings");
        steps.Add(("open to first screen", open));

        // 's' cycles severity -> score -> probe -> severity
        steps.Add(("sort by score", app.Press(Key.S)));
        Expect(app, "sort score");
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
        return steps;
    }

    private static void Expect(HeadlessTriageApp app, string text)
    {
        if (!app.StatusText.Contains(text, StringComparison.Ordinal))
            throw new InvalidOperationException($"expected '{text}' in the status line, got: {app.StatusText}");
    }

    /// <summary>Prints the builds' steps side by side: ready and stall seconds each, and the speed-up of "ready".</summary>
    public static void PrintSteps(TextWriter w, string title, IReadOnlyList<(TuiBuild Build, IReadOnlyList<(string Step, StepTiming Timing)> Steps)> runs)
    {
        w.WriteLine();
        w.WriteLine(title);
        int width = runs[0].Steps.Max(s => s.Step.Length) + 2;
        w.Write($"  {"step".PadRight(width)}");
        foreach (var (build, _) in runs)
            w.Write($"{build.Name + " ready",14}{build.Name + " stall",14}");
        if (runs.Count > 1)
            w.Write($"{"speed-up",10}");
        w.WriteLine();
        for (int i = 0; i < runs[0].Steps.Count; i++)
        {
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
