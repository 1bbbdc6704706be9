using MemScan.Scanner.Results;
using MemScan.Tui.Demo;
using Terminal.Gui.Input;
using Xunit;

namespace MemScan.Tui.Tests.Views;

public class MainWindowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TempRunsFolder> DemoFolderAsync(int largeRows = 0)
    {
        var runs = new TempRunsFolder();
        await DemoRuns.WriteAsync(runs.Path, largeRows, Ct);
        return runs;
    }

    private static string FindingsPane(string screen) =>
        // the findings pane is the left part of the screen below the runs pane
        string.Join('\n', screen.Split('\n').Skip(9).Select(l => l.Length > 77 ? l[..77] : l));

    [Fact]
    public async Task Opening_the_runs_folder_shows_the_runs_and_the_newest_runs_findings()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        string screen = tui.Screen();

        Assert.Contains(DemoRuns.MainRunId, screen);
        Assert.Contains(DemoRuns.RunningRunId, screen);
        Assert.Contains("CORRUPT", screen);
        Assert.Contains("sweeps/s1", screen);
        Assert.Contains("pin-16", FindingsPane(screen));
        Assert.Contains("10 of 10 findings", screen);
    }

    [Fact]
    public async Task An_analyst_sorts_filters_marks_a_finding_and_quits_and_the_decision_is_saved()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        // sort by normalized score: an AUC of 0.83 of 1 above pin-4's 16.3 of 19.9 bits, and the
        // extraction rank 3400 (the largest raw number) last, not first
        string sorted = FindingsPane(tui.Press(Key.S).Screen());
        Assert.Contains("sort normalized score", tui.Window.StatusText);
        Assert.True(sorted.IndexOf("0.83 roc_auc", StringComparison.Ordinal) < sorted.IndexOf("16.347", StringComparison.Ordinal), sorted);
        Assert.True(sorted.IndexOf("0.966", StringComparison.Ordinal) < sorted.IndexOf("3400", StringComparison.Ordinal), sorted);

        // probe filter: the first probe (exposure) only
        string exposureOnly = FindingsPane(tui.Press(Key.P).Screen());
        Assert.Contains("probe exposure", tui.Window.StatusText);
        Assert.DoesNotContain("extraction_rank", exposureOnly);
        Assert.DoesNotContain("roc_auc", exposureOnly);

        // minimum severity high: the low ones go
        string severe = FindingsPane(tui.Press(Key.V, Key.V, Key.V).Screen());
        Assert.Contains(">= high", tui.Window.StatusText);
        Assert.DoesNotContain("pin-0", severe);
        Assert.Contains("pin-16", severe);

        // free text
        tui.Press((Key)'/').Type("card").Press(Key.Enter);
        string card = FindingsPane(tui.Screen());
        Assert.Contains("text 'card'", tui.Window.StatusText);
        Assert.Contains("card-8", card);
        Assert.DoesNotContain("pin-16", card);

        // mark it confirmed with a note
        tui.Press(Key.C).Type("leaks the card number").Press(Key.Enter);
        string marked = tui.Screen();
        Assert.Contains("confirmed", FindingsPane(marked));
        Assert.Contains("note      leaks the card number", marked);
        Assert.Contains("saved: exposure/card-8/exposure_bits confirmed", tui.Window.StatusText);
        Assert.Contains("saved: exposure/card-8/exposure_bits confirmed", marked);

        tui.Press(Key.Q);
        Assert.True(tui.Window.StopRequested);

        IReadOnlyList<TriageRecord> saved =
            await TriageTable.ReadAsync(Path.Combine(runs.Path, DemoRuns.MainRunId, TriageTable.FileName), Ct);
        TriageRecord decision = Assert.Single(saved);
        Assert.Equal("exposure/card-8/exposure_bits", decision.FindingKey);
        Assert.Equal("confirmed", decision.Status);
        Assert.Equal("leaks the card number", decision.Note);
        Assert.Equal(Environment.UserName, decision.Analyst);
    }

    [Fact]
    public async Task A_second_decision_on_the_same_finding_replaces_the_first_on_screen_and_both_stay_in_the_file()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        tui.Press(Key.C).Type("real").Press(Key.Enter);
        tui.Press(Key.F).Type("common PIN").Press(Key.Enter);

        Assert.Contains("false_positive", FindingsPane(tui.Screen()));
        string path = Path.Combine(runs.Path, DemoRuns.MainRunId, TriageTable.FileName);
        Assert.Equal(2, (await TriageTable.ReadAsync(path, Ct)).Count);
        Assert.Equal("false_positive", (await TriageTable.ReadLatestAsync(path, Ct))["exposure/pin-16/exposure_bits"].Status);
    }

    [Fact]
    public async Task Escape_cancels_a_triage_note_without_saving()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        tui.Press(Key.A).Type("nope").Press(Key.Esc);

        Assert.False(File.Exists(Path.Combine(runs.Path, DemoRuns.MainRunId, TriageTable.FileName)));
        Assert.False(tui.Window.StopRequested);
    }

    [Fact]
    public async Task The_secret_is_masked_until_the_analyst_toggles_it()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        Assert.DoesNotContain("281430", tui.Screen());
        Assert.Contains("press x to reveal", tui.Screen());
        Assert.Contains("281430", tui.Press(Key.X).Screen());
        Assert.DoesNotContain("281430", tui.Press(Key.X).Screen());
    }

    [Fact]
    public async Task The_details_show_the_canary_row_of_an_exposure_finding()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        string screen = tui.Screen();

        Assert.Contains("template    my PIN is {digits:6}", screen);
        Assert.Contains("inserted    16 times", screen);
        Assert.Contains("rank        1 of 1,000,000 candidates (exact)", screen);
    }

    [Fact]
    public async Task The_plots_pane_draws_exposure_roc_and_loss_plots()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path, height: 60);

        string screen = tui.Press(Key.G).Screen();

        Assert.Contains("Exposure per canary (n=6)", screen);
        Assert.Contains("ROC (roc.parquet): AUC", screen);
        Assert.Contains("Loss, members vs non-members (mia.parquet)", screen);
    }

    [Fact]
    public async Task A_run_with_a_corrupt_findings_file_is_reported_and_the_app_keeps_working()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);

        // runs: main, running, corrupt findings, corrupt run.json
        tui.Press(Key.CursorDown, Key.CursorDown);
        Assert.Contains(DemoRuns.CorruptFindingsRunId, tui.Window.StatusText);
        Assert.Contains("is corrupt", tui.Window.StatusText);
        Assert.Contains("no readable findings.parquet", tui.Screen());

        tui.Press(Key.CursorDown);
        Assert.Contains("CORRUPT", tui.Window.StatusText);
        Assert.Contains("run.json is corrupt", tui.Window.StatusText);

        tui.Press(Key.CursorUp, Key.CursorUp, Key.CursorUp);
        Assert.Contains("10 of 10 findings", tui.Window.StatusText);
    }

    [Fact]
    public async Task A_running_run_shows_its_progress_and_updates_when_it_completes()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        tui.Press(Key.CursorDown);
        Assert.Contains("RUNNING (live) 1/3 probes done", tui.Window.StatusText);

        RunFolder run = RunFolder.Open(Path.Combine(runs.Path, DemoRuns.RunningRunId));
        run.MarkComplete(DateTime.UtcNow);

        tui.WaitForScreen($"{DemoRuns.RunningRunId}: complete", TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_sweep_that_gets_a_new_part_is_refreshed_and_its_corrupt_part_reported()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        tui.Press(Key.End.WithCtrl);
        Assert.Contains("sweep s1: 2 parts, 1,000 rows, 1 corrupt part(s) skipped", tui.Window.StatusText);

        await DemoRuns.AddSweepPartAsync(runs.Path, 2, Ct);

        tui.WaitForScreen("sweep s1: 3 parts, 1,100 rows", TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_large_findings_table_opens_and_pages_to_its_end()
    {
        using TempRunsFolder runs = await DemoFolderAsync(largeRows: 120_000);
        using var tui = new HeadlessTui(runs.Path);
        tui.Press(Key.End.WithCtrl);               // the sweep
        tui.Press(Key.CursorUp);          // the large run (oldest run, above the sweep)
        Assert.Contains("120,000 of 120,000 findings", tui.Window.StatusText);

        tui.Press(Key.Tab, Key.End.WithCtrl);
        string screen = tui.Screen();

        Assert.True(screen.Contains("sample-"), screen);
        Assert.Contains("info", FindingsPane(screen));
    }

    [Fact]
    public async Task A_sort_returns_at_once_and_the_view_updates_when_the_order_is_ready()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tui.Window.BeforeOrdering = () => release.Task;

        tui.PressWithoutWaiting(Key.S);

        // the key came back with the order still being computed: the severity order stays on screen
        Assert.False(tui.Window.IsIdle);
        Assert.Contains("sorting…", tui.Window.StatusText);
        Assert.Contains("sort normalized score", tui.Window.StatusText);
        string held = FindingsPane(tui.Screen());
        Assert.True(held.IndexOf("16.347", StringComparison.Ordinal) < held.IndexOf("0.83 roc_auc", StringComparison.Ordinal), held);

        // and the keyboard still works meanwhile
        tui.PressWithoutWaiting(Key.X);
        Assert.Contains("secrets shown", tui.Window.StatusText);
        Assert.Contains("281430", tui.Screen());

        release.SetResult();
        tui.WaitIdle();

        Assert.DoesNotContain("sorting…", tui.Window.StatusText);
        string sorted = FindingsPane(tui.Screen());
        Assert.True(sorted.IndexOf("0.83 roc_auc", StringComparison.Ordinal) < sorted.IndexOf("16.347", StringComparison.Ordinal), sorted);
    }

    [Fact]
    public async Task Only_the_latest_of_several_quick_sorts_is_shown()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tui.Window.BeforeOrdering = () => release.Task;

        tui.PressWithoutWaiting(Key.S).PressWithoutWaiting(Key.S); // score, then probe
        release.SetResult();
        tui.WaitIdle();

        Assert.Contains("sort probe", tui.Window.StatusText);
        Assert.DoesNotContain("sorting…", tui.Window.StatusText);
        string pane = FindingsPane(tui.Screen());
        // probe order: exposure, extraction, mia
        Assert.True(pane.IndexOf("exposure_bits", StringComparison.Ordinal) < pane.IndexOf("extraction_rank", StringComparison.Ordinal), pane);
        Assert.True(pane.IndexOf("extraction_rank", StringComparison.Ordinal) < pane.IndexOf("roc_auc", StringComparison.Ordinal), pane);
    }

    [Fact]
    public async Task A_finding_whose_details_are_corrupt_is_reported_in_the_details_and_the_app_keeps_working()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        // severity name and rank disagree: the table columns read fine, the details do not
        await ParquetTable<FindingRow>.WriteAsync(Path.Combine(runs.Path, DemoRuns.MainRunId, FindingsTable.FileName),
        [
            new FindingRow { Probe = "exposure", Subject = "bad-row", Severity = "low", SeverityRank = 4, ScoreName = "exposure_bits", CreatedUtc = DateTime.UnixEpoch },
        ], Ct);
        using var tui = new HeadlessTui(runs.Path);

        string screen = tui.Screen();
        Assert.Contains("bad-row", FindingsPane(screen));
        Assert.Contains("This finding could not be read", screen);
        Assert.Contains("has severity 'low' but", screen); // (the details pane wraps the message)
        Assert.Contains("severity_rank 4 (expected 1)", screen);

        tui.Press(Key.S);
        Assert.Contains("sort normalized score", tui.Window.StatusText);
        Assert.False(tui.Window.StopRequested);
    }

    [Fact]
    public async Task A_reload_keeps_the_findings_read_unless_the_file_changed()
    {
        using TempRunsFolder runs = await DemoFolderAsync();
        using var tui = new HeadlessTui(runs.Path);
        var first = tui.Window.Session!.Findings;

        tui.Press(Key.C).Type("real").Press(Key.Enter).Press(Key.R);
        Assert.Same(first, tui.Window.Session!.Findings);
        Assert.Contains("confirmed", FindingsPane(tui.Screen()));

        await FindingsTable.WriteAsync(Path.Combine(runs.Path, DemoRuns.MainRunId, FindingsTable.FileName),
            [new Finding { Probe = "exposure", Subject = "rescanned", Severity = Severity.Low, Score = 1, ScoreName = "exposure_bits", CreatedUtc = DateTime.UnixEpoch }], Ct);
        tui.Press(Key.R);

        Assert.NotSame(first, tui.Window.Session!.Findings);
        Assert.Contains("rescanned", FindingsPane(tui.Screen()));
        Assert.Contains("1 of 1 findings", tui.Window.StatusText);
    }
}
