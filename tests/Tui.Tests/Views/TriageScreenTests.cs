using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using MemScan.Tui.Demo;
using MemScan.Tui.Views;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Xunit;

namespace MemScan.Tui.Tests.Views;

/// <summary>
/// What an analyst relies on: readable colours (read from the rendered cells), marks that land on
/// the finding the prompt named, every key discoverable, every pane reachable at 80x24.
/// </summary>
public class TriageScreenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TempRunsFolder> DemoFolderAsync()
    {
        var runs = new TempRunsFolder();
        await DemoRuns.WriteAsync(runs.Path, 0, Ct);
        return runs;
    }

    private static Finding Exposure(string canary, Severity severity, double bits, string secret) => new()
    {
        Probe = "exposure", Subject = canary, Severity = severity, Score = bits, ScoreName = "exposure_bits", MaxScore = 19.93,
        Secret = secret, Evidence = $"exposure {bits} of 19.93 bits", CreatedUtc = DateTime.UnixEpoch,
    };

    private static Finding Extraction(string canary, Severity severity, long order) => new()
    {
        Probe = "extraction", Subject = canary, Severity = severity, Score = order, ScoreName = "extraction_order",
        Secret = "123456", Rank = order, Evidence = $"secret came out as completion #{order}", CreatedUtc = DateTime.UnixEpoch,
    };

    private static readonly Finding[] ExposureProbeDone =
    [
        Exposure("pin-64", Severity.Critical, 19.93, "111111"),
        Exposure("pin-16", Severity.High, 15.1, "222222"),
        Exposure("pin-4", Severity.Medium, 8.2, "333333"),
        Exposure("pin-1", Severity.Low, 2.5, "444444"),
        Exposure("pin-0", Severity.Info, 0.3, "555555"),
    ];

    [Fact]
    public async Task A_mark_lands_on_the_finding_the_prompt_named_when_a_live_refresh_moves_the_rows()
    {
        // the case: a live scan, Tab Down Down (pin-4), c, a note, findings arrive, Enter
        using var runs = new TempRunsFolder();
        RunFolder run = RunFolder.Create(runs.Path, new RunInfo
        {
            RunId = "20261204-220000-live", ToolVersion = "test", StartedUtc = DateTime.UtcNow, ModelPath = "models/m.onnx",
            ModelSha256 = new string('a', 64), ModelKind = "language_model", CommandLine = "memscan scan models/m.onnx",
            Probes = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["exposure"] = new Dictionary<string, string>(), ["extraction"] = new Dictionary<string, string>() },
        });
        await FindingsTable.WriteAsync(run.FindingsPath, ExposureProbeDone, Ct);
        using var tui = new HeadlessTui(runs.Path);

        tui.Press(Key.Tab, Key.CursorDown, Key.CursorDown);
        Assert.Equal(new FindingRef("exposure", "pin-4", "exposure_bits"), tui.Window.Selected);
        tui.Press(Key.C).Type("pin-4 leaks");
        Assert.Contains("confirmed exposure/pin-4 (exposure_bits)", tui.Screen());

        // the extraction probe finishes: three findings arrive, two of them above pin-4
        await FindingsTable.WriteAsync(run.FindingsPath,
            [.. ExposureProbeDone, Extraction("pin-64", Severity.Critical, 1), Extraction("pin-16", Severity.High, 3), Extraction("pin-4", Severity.Low, 40_000)], Ct);
        tui.WaitForScreen("8 of 8 findings", TimeSpan.FromSeconds(10));
        tui.WaitIdle();
        Assert.Contains("pin-4 leaks", tui.Screen()); // the prompt is still open, with the note

        // the selection followed pin-4 to its new row, and the mark goes to pin-4, not to the row
        Assert.Equal(new FindingRef("exposure", "pin-4", "exposure_bits"), tui.Window.Selected);
        tui.Press(Key.Enter);
        TriageRecord saved = Assert.Single(await TriageTable.ReadAsync(TriageTable.PathIn(run.Path), Ct));
        Assert.Equal("exposure/pin-4/exposure_bits", saved.FindingKey);
        Assert.Equal("pin-4 leaks", saved.Note);
        Assert.Contains("MEDIUM  exposure / pin-4", tui.Screen());
        Assert.Contains("saved: exposure/pin-4/exposure_bits confirmed", tui.Window.StatusText);
    }

    [Fact]
    public async Task The_selection_stays_on_its_finding_across_sort_and_filter()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        tui.Press(Key.Tab, Key.CursorDown, Key.CursorDown); // severity order: pin-16, extraction pin-16, pin-4
        var pin4 = new FindingRef("exposure", "pin-4", "exposure_bits");
        Assert.Equal(pin4, tui.Window.Selected);

        tui.Press(Key.S);        // normalized score: the AUC of 0.83 moves above pin-4's 0.82
        Assert.Equal(pin4, tui.Window.Selected);
        Assert.Contains("HIGH  exposure / pin-4", tui.Screen());
        tui.Press(Key.S, Key.P); // probe order, exposure only
        Assert.Equal(pin4, tui.Window.Selected);
        Assert.Contains("HIGH  exposure / pin-4", tui.Screen());
    }

    [Fact]
    public async Task No_cell_is_drawn_in_its_own_background_and_severities_have_their_colours()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var empty = new TempRunsFolder();
        using (var tui = new HeadlessTui(runs.Path))
        {
            AssertReadable(tui, "main screen");
            AssertSeverityColours(tui);
            AssertReadable(tui.Press(Key.Tab, Key.Tab), "details focused");
            AssertReadable(tui.Press(Key.G), "plots");
            AssertReadable(tui.Press(Key.G, (Key)'?'), "help");
            AssertReadable(tui.Press(Key.Esc, Key.C), "prompt");
            AssertReadable(tui.Press(Key.Esc).Resize(80, 24), "80x24");
        }
        using (var tui = new HeadlessTui(empty.Path, 80, 24))
            AssertReadable(tui, "empty folder hint");
    }

    private static void AssertReadable(HeadlessTui tui, string state)
    {
        Cell[,] cells = tui.Cells();
        for (int row = 0; row < cells.GetLength(0); row++)
        for (int col = 0; col < cells.GetLength(1); col++)
        {
            Terminal.Gui.Drawing.Attribute a = cells[row, col].Attribute ?? throw new Xunit.Sdk.XunitException($"{state}: cell {row},{col} has no attribute");
            if (a.Foreground == a.Background)
                Assert.Fail($"{state}: cell {row},{col} '{cells[row, col].Grapheme}' is drawn {a.Foreground} on {a.Background}\n{tui.Screen()}");
        }
    }

    private static void AssertSeverityColours(HeadlessTui tui)
    {
        Cell[,] cells = tui.Cells();
        string[] lines = tui.Screen().Split('\n');
        var seen = new HashSet<Severity>();
        for (int row = 0; row < lines.Length; row++)
        {
            string line = lines[row];
            // the findings pane's first column: "│critical│exposure …"
            foreach (Severity s in Enum.GetValues<Severity>())
            {
                int col = line.IndexOf("│" + s.ToName() + " ", StringComparison.Ordinal) is var i and >= 0 ? i : line.IndexOf("│" + s.ToName() + "│", StringComparison.Ordinal);
                if (col < 0 || !line.Contains("_", StringComparison.Ordinal))
                    continue; // not a findings row (those name a metric)
                Assert.Equal(TriageTheme.Of(s), cells[row, col + 1].Attribute!.Value.Foreground);
                seen.Add(s);
            }
        }
        Assert.Equal(Enum.GetValues<Severity>().Length, seen.Count);
    }

    [Fact]
    public async Task The_help_overlay_lists_every_key_and_closes_with_Escape()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        string help = tui.Press((Key)'?').Screen();
        foreach (KeyHelp.Entry entry in KeyHelp.Entries)
        {
            Assert.Contains(entry.Keys, help);
            Assert.Contains(entry.Description, help);
        }
        // keys meant for the screen do nothing while it is open
        tui.Press(Key.S, Key.Q);
        Assert.False(tui.Window.StopRequested);
        Assert.DoesNotContain("Keys (Esc closes)", tui.Screen());

        Assert.Contains("Keys (Esc closes)", tui.Press(Key.F1).Screen());
        Assert.DoesNotContain("Keys (Esc closes)", tui.Press(Key.Esc).Screen());
        Assert.False(tui.Window.StopRequested);
        Assert.Contains("sort severity", tui.Window.StatusText);
    }

    [Fact]
    public async Task The_key_line_starts_with_quit_and_help_so_80_columns_keep_them()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path, 80, 24);

        string last = tui.Screen().Split('\n').Last(l => l.Trim().Length > 0);
        Assert.StartsWith("q quit  ? help", last);
    }

    [Fact]
    public async Task At_80x24_every_pane_can_be_focused_and_every_details_field_scrolled_into_view()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path, 80, 24);
        tui.Press(Key.Tab).Press(Key.C).Type("leaks the PIN").Press(Key.Enter);

        // the findings table shows every column, triage included
        string screen = tui.Screen();
        Assert.Contains("confirmed", screen);
        Assert.Contains("▶ Findings", screen);

        // Tab reaches details; scrolling shows every field from the first to the last
        screen = tui.Press(Key.Tab).Screen();
        Assert.Contains("▶ Details", screen);
        string[] fields = ["CRITICAL  exposure / pin-16", "score ", "rank ", "queries ", "secret ", "found ", "evidence", "canary pin-16",
            "template ", "inserted ", "exposure ", "triage    confirmed", "note      leaks the PIN"];
        var seen = new HashSet<string>(fields.Where(screen.Contains));
        for (int i = 0; i < 30 && seen.Count < fields.Length; i++)
            seen.UnionWith(fields.Where(tui.Press((Key)'j').Screen().Contains));
        Assert.Equal(fields.Order(), seen.Order());
        // a refresh (here by hand; a live run refreshes by itself) keeps the place the analyst scrolled to
        Assert.Contains("note      leaks the PIN", tui.Press(Key.R).Screen());

        // and back round to the runs pane
        Assert.Contains("▶ Runs", tui.Press(Key.Tab).Screen());
    }

    [Fact]
    public async Task Common_keys_move_quit_and_clear_filters()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        tui.Press(Key.Tab);

        tui.Press((Key)'j', (Key)'j');
        Assert.Equal("pin-4", tui.Window.Selected?.Subject);
        tui.Press((Key)'k');
        Assert.Equal(new FindingRef("extraction", "pin-16", "extraction_rank"), tui.Window.Selected);
        tui.Press(Key.End);
        Assert.Equal("roc_auc", tui.Window.Selected?.Metric);
        tui.Press(Key.Home);
        Assert.Equal(new FindingRef("exposure", "pin-16", "exposure_bits"), tui.Window.Selected);
        tui.Press(Key.PageDown);
        Assert.NotEqual("pin-16", tui.Window.Selected?.Subject);
        tui.Press(Key.PageUp);
        Assert.Equal("pin-16", tui.Window.Selected?.Subject);

        // Esc clears every filter and does not quit
        tui.Press(Key.V, Key.V, Key.P).Press((Key)'/').Type("pin").Press(Key.Enter);
        Assert.Contains("text 'pin'", tui.Window.StatusText);
        tui.Press(Key.Esc);
        Assert.Contains("filters cleared", tui.Window.StatusText);
        Assert.Contains("10 of 10 findings", tui.Window.StatusText);
        Assert.False(tui.Window.StopRequested);

        tui.Press(Key.C.WithCtrl);
        Assert.True(tui.Window.StopRequested);
    }

    [Fact]
    public async Task A_mark_can_be_cleared_and_the_file_keeps_the_trail()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        tui.Press(Key.Tab, Key.C).Type("real").Press(Key.Enter);
        Assert.Contains("confirmed", tui.Screen());
        tui.Press(Key.U);

        Assert.Contains("cleared: exposure/pin-16/exposure_bits", tui.Window.StatusText);
        Assert.Contains("triage    untriaged", tui.Screen());
        string path = Path.Combine(runs.Path, DemoRuns.MainRunId, TriageTable.FileName);
        Assert.Equal(["confirmed", "untriaged"], (await TriageTable.ReadAsync(path, Ct)).Select(r => r.Status));
        Assert.Empty(await TriageTable.ReadLatestAsync(path, Ct));
        tui.Press(Key.U);
        Assert.Contains("has no mark to clear", tui.Window.StatusText);
    }

    [Fact]
    public async Task A_run_with_a_truncated_findings_file_is_flagged_in_the_runs_list()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        string findings = Path.Combine(runs.Path, DemoRuns.MainRunId, FindingsTable.FileName);
        byte[] bytes = await File.ReadAllBytesAsync(findings, Ct);
        await File.WriteAllBytesAsync(findings, bytes[..(bytes.Length / 2)], Ct);
        using var tui = new HeadlessTui(runs.Path);

        string mainRow = tui.Screen().Split('\n').First(l => l.Contains(DemoRuns.MainRunId, StringComparison.Ordinal) && l.Contains("char-lstm", StringComparison.Ordinal));
        Assert.Contains("complete, CORRUPT", mainRow);
        Assert.Contains("│?", mainRow.Replace(" ", ""));
        Assert.Contains("is corrupt", tui.Window.StatusText);
    }

    [Fact]
    public async Task The_problems_view_lists_every_problem_of_the_run()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        string run = Path.Combine(runs.Path, DemoRuns.MainRunId);
        await File.WriteAllTextAsync(Path.Combine(run, FindingsTable.FileName), "PAR1 not parquet PAR1", Ct);
        await File.WriteAllTextAsync(Path.Combine(run, ExposureTable.FileName), "PAR1 not parquet either PAR1", Ct);
        using var tui = new HeadlessTui(runs.Path);
        Assert.Contains("(+1 more: press !)", tui.Window.StatusText);

        string screen = tui.Press((Key)'!').Screen();

        Assert.Contains("Problems (2 in this run)", screen);
        Assert.Contains(FindingsTable.FileName + " is corrupt", screen.Replace("\n", ""));
        Assert.Contains(ExposureTable.FileName + " is corrupt", screen.Replace("\n", ""));
        Assert.Contains("other runs with problems", screen);
        Assert.Contains(DemoRuns.CorruptInfoRunId, screen);
    }

    [Fact]
    public async Task Plots_are_drawn_again_for_the_new_width_after_a_resize()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path, 160, 60);
        static int Widest(string screen) => screen.Split('\n').Max(l => l.TrimEnd().Length);
        tui.Press(Key.G);
        string wide = tui.Screen();
        Assert.Contains("Exposure per canary", wide);

        string narrow = tui.Resize(80, 40).Screen();

        Assert.Contains("Exposure per canary", narrow);
        Assert.True(Widest(narrow) <= 80, narrow);
        // the histogram's x axis spans the new width, not the old one cut off
        string axis = narrow.Split('\n').First(l => l.Contains("+---", StringComparison.Ordinal));
        Assert.True(axis.TrimEnd().Length > 60, axis);
    }

    [Fact]
    public async Task A_status_message_goes_away_after_its_time()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        tui.Window.MessageLifetime = TimeSpan.FromMilliseconds(200);

        tui.Press(Key.X);
        Assert.StartsWith("secrets shown", tui.Window.StatusText);

        tui.WaitForStatus(s => !s.Contains("secrets shown", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.StartsWith(DemoRuns.MainRunId, tui.Window.StatusText);
    }

    [Fact]
    public void The_empty_folder_hint_names_the_scan_option_and_spots_a_run_folder()
    {
        using var runs = new TempRunsFolder();
        Assert.Contains($"memscan scan MODEL.onnx --runs {runs.Path}", MainWindow.EmptyFolderHint(runs.Path));

        string run = runs.Combine("20261204-run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.InfoFileName), "{}");
        Assert.Contains($"is a run folder, not a runs folder. Open the folder that holds the runs: memscan-tui {runs.Path}", MainWindow.EmptyFolderHint(run));
    }
}
