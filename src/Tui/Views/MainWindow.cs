using System.Collections;
using MemScan.Scanner;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using MemScan.Tui.Live;
using MemScan.Tui.Plots;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>
/// The triage screen: runs on top, the selected run's findings, the selected finding's details (or
/// the run's plots, or its problems), a prompt, a status line and the key line at the bottom. File
/// work runs on the thread pool and comes back through <see cref="IApplication.Invoke(Action)"/>,
/// so a large or slow run never freezes the keyboard. The selection is held as the finding's key
/// (<see cref="FindingRef"/>), not as a row: refreshes, sorts and filters keep it on its finding.
/// Keys and the triage prompt: <c>MainWindow.Keys.cs</c>.
/// </summary>
internal sealed partial class MainWindow : Runnable
{
    private readonly IApplication _app;
    private readonly string _runsRoot;
    private readonly TableView _runs;
    private readonly TableView _findings;
    private readonly TextView _details;
    private readonly FrameView _runsFrame;
    private readonly FrameView _findingsFrame;
    private readonly FrameView _detailsFrame;
    private readonly HelpOverlay _help;
    private readonly Label _promptLabel;
    private readonly TextField _prompt;
    private readonly Label _status;
    private FolderWatcher? _watcher;
    private object? _pollToken;

    private IReadOnlyList<RunEntry> _entries = [];
    private RunSession? _session;
    private FindingsQuery _query = new();
    private BitArray? _textMatches;
    private bool _showSecret;
    private DetailsMode _mode;
    private int _plotsWidth;
    private string _message = "";
    private object? _messageToken;
    private int _pending;
    private int _loadGeneration;

    /// <summary>The finding the analyst selected, kept across refresh, sort and filter.</summary>
    private FindingRef? _selected;

    /// <summary>True while the window itself moves a table's selection (not the analyst).</summary>
    private bool _placing;

    public MainWindow(IApplication app, string runsRoot)
    {
        _app = app;
        _runsRoot = runsRoot;
        Title = "memscan-tui";
        SetScheme(TriageTheme.Base);

        _runsFrame = Pane("Runs", l => l.Runs);
        _runs = NewTable();
        // a run that could not be read in full is red in the list, its worst severity in its colour
        _runs.Style.RowColorGetter = a => a.RowIndex < _entries.Count && _entries[a.RowIndex].IsCorrupt ? TriageTheme.CorruptRow : null;
        _runs.Style.GetOrCreateColumnStyle(RunsTableSource.WorstColumn).ColorGetter = a =>
            a.RowIndex < _entries.Count && _entries[a.RowIndex] is { Worst: { } worst, Problem: null } ? TriageTheme.ForSeverity(worst) : null;
        _runsFrame.Add(_runs);

        _findingsFrame = Pane("Findings", l => l.Findings);
        _findings = NewTable();
        _findings.Style.GetOrCreateColumnStyle(0).ColorGetter = a =>
            a.Table is FindingsTableSource t && a.RowIndex < t.Rows ? TriageTheme.ForSeverity(t.SeverityAt(a.RowIndex)) : null;
        _findingsFrame.Add(_findings);

        _detailsFrame = Pane("Details", l => l.Details);
        _details = new TextView
        {
            X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), ReadOnly = true, WordWrap = true, CanFocus = true,
        };
        _detailsFrame.Add(_details);

        _promptLabel = new Label { X = 0, Y = Pos.AnchorEnd(3), Text = "", Visible = false };
        _prompt = new TextField { X = Pos.Right(_promptLabel) + 1, Y = Pos.AnchorEnd(3), Width = Dim.Fill(), Visible = false };
        _status = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Text = "loading…" };
        var keyLine = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = KeyHelp.Line };
        _help = new HelpOverlay();

        // run ids, finding keys and score names are full of '_': not hot-key markers here
        foreach (View plain in new View[] { _promptLabel, _status, keyLine })
            plain.HotKeySpecifier = new System.Text.Rune(0xFFFF);
        Add(_runsFrame, _findingsFrame, _detailsFrame, _promptLabel, _prompt, _status, keyLine, _help);

        _runs.ValueChanged += (_, _) =>
        {
            if (!_placing)
                OpenSelectedRun(force: false);
        };
        _findings.ValueChanged += (_, _) =>
        {
            if (!_placing)
                RememberSelection();
            ShowDetails();
        };
        foreach (FrameView pane in new[] { _runsFrame, _findingsFrame, _detailsFrame })
            pane.HasFocusChanged += (_, _) => UpdateTitles();
        // plots are drawn for the pane's width: draw them again when a resize changes it
        _details.ViewportChanged += (_, _) =>
        {
            if (_mode == DetailsMode.Plots && PlotsWidth != _plotsWidth)
                ShowDetails();
        };
        _app.Keyboard.KeyDown += OnKeyDown;
    }

    /// <summary>No file work in flight: what tests wait for before reading the screen.</summary>
    public bool IsIdle => Volatile.Read(ref _pending) == 0;

    /// <summary>The status line's text (also drawn on screen).</summary>
    public string StatusText => _status.Text;

    public RunSession? Session => _session;

    /// <summary>The selected finding, if any (what a triage key would mark).</summary>
    internal FindingRef? Selected => _selected;

    /// <summary>How long a message stays in the status line.</summary>
    internal TimeSpan MessageLifetime { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// For tests: awaited on the thread pool before each findings order is computed, so a test can
    /// hold a sort in flight and check that the screen and keyboard stay live meanwhile.
    /// </summary>
    internal Func<Task>? BeforeOrdering { get; set; }

    /// <summary>Lists the runs, opens the newest, and starts watching the folder.</summary>
    public void Start()
    {
        _watcher = new FolderWatcher(_runsRoot, () => _app.Invoke(Refresh));
        _pollToken = _app.AddTimeout(FolderWatcher.PollInterval, () =>
        {
            if (_watcher.PollChanged())
                Refresh();
            return true;
        });
        _runs.SetFocus();
        UpdateTitles();
        LoadCatalog(selectId: null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _app.Keyboard.KeyDown -= OnKeyDown;
            if (_pollToken is not null)
                _app.RemoveTimeout(_pollToken);
            if (_messageToken is not null)
                _app.RemoveTimeout(_messageToken);
            _watcher?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>A bordered pane placed by <see cref="ScreenLayout"/> for the current screen size.</summary>
    private FrameView Pane(string title, Func<ScreenLayout, System.Drawing.Rectangle> place)
    {
        ScreenLayout Now() => ScreenLayout.For(Viewport.Width, Viewport.Height);
        return new FrameView
        {
            Title = title,
            X = Pos.Func(_ => place(Now()).X), Y = Pos.Func(_ => place(Now()).Y),
            Width = Dim.Func(_ => place(Now()).Width), Height = Dim.Func(_ => place(Now()).Height),
        };
    }

    private static TableView NewTable()
    {
        var table = new TableView
        {
            X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), FullRowSelect = true, MultiSelect = false,
            // letters are commands here, not type-to-search
            CollectionNavigator = null,
            // widths from the rows on screen only: measuring every row would read all row groups
            UseAllRowsForContentCalculation = false,
        };
        table.Style.ShowHorizontalHeaderOverline = false;
        table.Style.ExpandLastColumn = true;
        table.Style.AlwaysShowHeaders = true;
        // scroll right by whole columns: a half-shown column cuts its numbers
        table.Style.SmoothHorizontalScrolling = false;
        return table;
    }

    /// <summary>The focused pane's title starts with a marker (and is drawn in the focus colours).</summary>
    private void UpdateTitles()
    {
        string Mark(FrameView pane, string title) => pane.HasFocus ? "▶ " + title : title;
        _runsFrame.Title = Mark(_runsFrame, "Runs");
        _findingsFrame.Title = Mark(_findingsFrame, "Findings");
        string details = _mode switch
        {
            DetailsMode.Plots => "Plots",
            DetailsMode.Problems => $"Problems ({_session?.Problems.Count ?? 0} in this run)",
            _ => "Details",
        };
        _detailsFrame.Title = Mark(_detailsFrame, details);
    }

    // ---- loading -------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="work"/> off the UI thread and <paramref name="apply"/> back on it.</summary>
    private void Background<T>(Func<Task<T>> work, Action<T> apply)
    {
        Interlocked.Increment(ref _pending);
        _ = Task.Run(async () =>
        {
            T result = default!;
            Exception? error = null;
            try { result = await work().ConfigureAwait(false); }
            catch (Exception e) { error = e; }
            _app.Invoke(() =>
            {
                try
                {
                    if (error is null)
                        apply(result);
                    else
                        SetMessage(error is MemScanException ? error.Message : $"error: {error.Message}");
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            });
        });
    }

    private void LoadCatalog(string? selectId) =>
        Background(() => RunCatalog.LoadAsync(_runsRoot), entries =>
        {
            _entries = entries;
            int index = selectId is null ? 0 : Math.Max(0, entries.ToList().FindIndex(e => e.Id == selectId));
            _placing = true;
            try
            {
                _runs.Table = new RunsTableSource(entries);
                if (entries.Count > 0)
                    _runs.SetSelection(0, index, false, null);
            }
            finally
            {
                _placing = false;
            }
            if (entries.Count == 0)
            {
                _session = null;
                _findings.Table = null;
                SetDetails(EmptyFolderHint(_runsRoot));
                UpdateStatus();
                return;
            }
            OpenSelectedRun(force: true);
        });

    /// <summary>What to do about a folder with no runs: scan into it, or open the folder above a run.</summary>
    internal static string EmptyFolderHint(string root)
    {
        if (File.Exists(Path.Combine(root, RunFolder.InfoFileName)) || File.Exists(Path.Combine(root, FindingsTable.FileName)))
            return $"{root} is a run folder, not a runs folder. Open the folder that holds the runs: " +
                $"memscan-tui {Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))}";
        return $"No runs in {root} yet. Scan a model into it with: memscan scan MODEL.onnx --runs {root}";
    }

    private void OpenSelectedRun(bool force)
    {
        if (_runs.Value?.SelectedCell.Y is not { } row || row < 0 || row >= _entries.Count)
            return;
        RunEntry entry = _entries[row];
        if (!force && _session?.Entry.Path == entry.Path)
            return;
        if (_session?.Entry.Path != entry.Path)
            _selected = null; // another run: start at its first finding
        int generation = ++_loadGeneration;
        RunSession? previous = _session;
        Background(() => RunSession.LoadAsync(entry, previous), session =>
        {
            // a later selection wins over a slow earlier load
            if (generation != _loadGeneration)
                return;
            _session = session;
            if (_watcher is not null)
                _watcher.Focus = entry.Path;
            ApplyQuery();
        });
    }

    /// <summary>Live view: re-list runs; reload the open run if it is still running or is a sweep.</summary>
    private void Refresh()
    {
        if (!IsIdle)
            return; // a load is already in flight; the 2 s poll will catch anything it missed
        string? id = _session?.Entry.Id;
        LoadCatalog(id);
    }

    // ---- findings table ------------------------------------------------------------------------

    /// <summary>
    /// Shows the findings for the current query. The order is computed on the thread pool (a sort
    /// once per column, then kept; filters are one pass over it); until it is ready the previous
    /// order stays on screen, the status line says "sorting…" and every key keeps working.
    /// </summary>
    private void ApplyQuery()
    {
        if (_session is not { } session)
            return;
        FindingsQuery query = _query;
        BitArray? matches = query.HasText ? _textMatches : null;
        Func<Task>? gate = BeforeOrdering;
        Background(async () =>
        {
            if (gate is not null)
                await gate().ConfigureAwait(false);
            int[] sorted = await session.Orders.GetAsync(query.Sort).ConfigureAwait(false);
            return FindingsOrder.Filter(session.Keys, sorted, query, matches);
        }, order =>
        {
            // a later query or run wins over a slow earlier one
            if (_session == session && _query == query)
                ShowOrder(session, query, order);
        });
        UpdateStatus();
    }

    /// <summary>
    /// Puts <paramref name="order"/> on screen with the selected finding still selected, wherever it
    /// moved; the same row number when it is filtered out, the first row for a new run.
    /// </summary>
    private void ShowOrder(RunSession session, FindingsQuery query, int[] order)
    {
        int position = Math.Min(_findings.Value?.SelectedCell.Y ?? 0, Math.Max(0, order.Length - 1));
        if (_selected is { } wanted && session.RowOf(wanted) is { } fileRow && Array.IndexOf(order, fileRow) is var at and >= 0)
            position = at;
        _placing = true;
        try
        {
            _findings.Table = new FindingsTableSource(session, order, query);
            if (order.Length > 0)
                _findings.SetSelection(0, position, false, null);
            _findings.Update();
        }
        finally
        {
            _placing = false;
        }
        RememberSelection();
        ShowDetails();
        UpdateStatus();
    }

    private void RememberSelection()
    {
        if (SelectedRef is { } selected)
            _selected = selected;
    }

    /// <summary>The finding at the table's selected row, from whichever session the table shows.</summary>
    private FindingRef? SelectedRef =>
        _findings.Table is FindingsTableSource { Rows: > 0 } source &&
        _findings.Value?.SelectedCell.Y is { } row && row >= 0 && row < source.Rows
            ? source.Session.RefOf(source.FileRowAt(row))
            : null;

    private void SetTextFilter(string text)
    {
        _query = _query with { Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim() };
        if (!_query.HasText || _session?.Findings is not { } file)
        {
            _textMatches = null;
            ApplyQuery();
            return;
        }
        string needle = _query.Text!;
        Background(() => file.MatchTextAsync(needle), matches =>
        {
            if (_session?.Findings != file || _query.Text != needle)
                return;
            _textMatches = matches;
            ApplyQuery();
        });
    }

    /// <summary>The file row of the selected finding, when the table shows the open run's findings.</summary>
    private int? SelectedFileRow =>
        _findings.Table is FindingsTableSource { Rows: > 0 } source && source.Session == _session &&
        _findings.Value?.SelectedCell.Y is { } row && row >= 0 && row < source.Rows
            ? source.FileRowAt(row)
            : null;

    private int PlotsWidth => Math.Max(12, _details.Viewport.Width - 1);

    private void ShowDetails()
    {
        UpdateTitles();
        if (_mode == DetailsMode.Plots)
        {
            _plotsWidth = PlotsWidth;
            _details.WordWrap = false;
            SetDetails(_session is null ? "" : string.Join('\n', RunPlotsText.Build(_session.Plots, _plotsWidth)));
            return;
        }
        _details.WordWrap = true;
        if (_mode == DetailsMode.Problems)
        {
            SetDetails(ProblemsText.Build(_session, _entries));
            return;
        }
        if (_session is not { } session)
            SetDetails(_entries.Count == 0 ? EmptyFolderHint(_runsRoot) : "");
        else if (SelectedFileRow is not { } row || session.Findings is not { } file)
            SetDetails(session.Entry.IsSweep
                ? $"Sweep {session.Entry.Id}: {session.Entry.Parts} parts, {session.Entry.Rows:N0} rows. Press g for the score distribution."
                : session.Findings is null ? "This run has no readable findings.parquet. Press ! for its problems." : "No finding matches the filters.");
        else if (file.TryGet(row, out Finding? cached))
            ShowFinding(session, cached!);
        else
        {
            // evidence, secret etc. are decoded a row group at a time, off the UI thread
            SetDetails($"loading {session.Labels.Subjects[row]}…");
            Background(async () =>
            {
                try { return (Finding: await file.GetAsync(row).ConfigureAwait(false), Problem: (string?)null); }
                catch (MemScanException e) { return (Finding: (Finding?)null, Problem: (string?)e.Message); }
            }, loaded =>
            {
                if (_session != session || SelectedFileRow != row || _mode != DetailsMode.Finding)
                    return; // the analyst moved on; whatever is selected now asked for itself
                if (loaded.Finding is { } f)
                    ShowFinding(session, f);
                else
                    SetDetails($"This finding could not be read: {loaded.Problem}");
            });
        }
    }

    /// <summary>
    /// Sets the pane's text unless it already says exactly that: a live refresh redraws the same
    /// finding, and reassigning would scroll the analyst back to the top mid-read.
    /// </summary>
    private void SetDetails(string text)
    {
        if (_details.Text != text)
            _details.Text = text;
    }

    private void ShowFinding(RunSession session, Finding f) =>
        SetDetails(FindingDetailsText.Build(f, session.TriageOf(f), session.CanaryOf(f), _showSecret));

    private void UpdateStatus()
    {
        var parts = new List<string>();
        if (_session is { } s)
        {
            RunEntry e = s.Entry;
            if (e.IsSweep)
                parts.Add($"sweep {e.Id}: {e.Parts} parts, {e.Rows:N0} rows" + (e.SkippedParts > 0 ? $", {e.SkippedParts} corrupt part(s) skipped" : ""));
            else if (e.Info is { } info)
            {
                string progress = info.Status == RunStatus.Running
                    ? $"RUNNING (live) {info.TimingsSeconds.Count}/{Math.Max(info.Probes.Count, info.TimingsSeconds.Count)} probes done"
                    : info.Status.ToString().ToLowerInvariant();
                parts.Add($"{e.Id}: {progress}");
            }
            else
                parts.Add($"{e.Id}: CORRUPT");
            if (_findings.Table is FindingsTableSource t && t.Session == s)
            {
                parts.Add($"{t.Rows:N0} of {s.Keys.Count:N0} findings");
                // the screen shows an earlier order until the new one is computed
                if (t.Query != _query)
                    parts.Add(t.Query.Sort != _query.Sort ? "sorting…" : "filtering…");
            }
            else if (s.Findings is not null)
                parts.Add("sorting…");
            parts.Add(_query.Describe());
            if (s.Problems.Count > 0)
                parts.Add("! " + OneLine(s.Problems[0]) + (s.Problems.Count > 1 ? $" (+{s.Problems.Count - 1} more: press !)" : ""));
        }
        if (_message.Length > 0)
            parts.Insert(0, _message);
        _status.Text = parts.Count == 0 ? $"{_runsRoot}: no runs" : string.Join(" | ", parts);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Shows <paramref name="message"/> first in the status line for <see cref="MessageLifetime"/>.</summary>
    private void SetMessage(string message)
    {
        _message = OneLine(message);
        if (_messageToken is not null)
            _app.RemoveTimeout(_messageToken);
        _messageToken = _app.AddTimeout(MessageLifetime, () =>
        {
            _messageToken = null;
            _message = "";
            UpdateStatus();
            return false;
        });
        UpdateStatus();
    }
}
