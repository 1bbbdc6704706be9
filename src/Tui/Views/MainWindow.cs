using System.Collections;
using System.Globalization;
using MemScan.Scanner;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using MemScan.Tui.Live;
using MemScan.Tui.Plots;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>
/// The triage screen: runs on top, the selected run's findings on the left, the selected finding's
/// details (or the run's plots) on the right, a prompt, a status line and the key help at the
/// bottom. File work runs on the thread pool and comes back through <see cref="IApplication.Invoke(Action)"/>,
/// so a large or slow run never freezes the keyboard.
/// </summary>
internal sealed class MainWindow : Runnable
{
    private readonly IApplication _app;
    private readonly string _runsRoot;
    private readonly TableView _runs;
    private readonly TableView _findings;
    private readonly TextView _details;
    private readonly FrameView _detailsFrame;
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
    private bool _showPlots;
    private PromptMode _promptMode;
    private TriageStatus _pendingStatus;
    private string _message = "";
    private int _pending;
    private int _loadGeneration;

    public MainWindow(IApplication app, string runsRoot)
    {
        _app = app;
        _runsRoot = runsRoot;
        Title = "memscan-tui";

        var runsFrame = new FrameView { Title = "Runs", X = 0, Y = 0, Width = Dim.Fill(), Height = 9 };
        _runs = NewTable();
        runsFrame.Add(_runs);

        var findingsFrame = new FrameView
        {
            Title = "Findings", X = 0, Y = Pos.Bottom(runsFrame), Width = Dim.Percent(55), Height = Dim.Fill(3),
        };
        _findings = NewTable();
        findingsFrame.Add(_findings);

        _detailsFrame = new FrameView
        {
            Title = "Details", X = Pos.Right(findingsFrame), Y = Pos.Bottom(runsFrame), Width = Dim.Fill(), Height = Dim.Fill(3),
        };
        _details = new TextView
        {
            X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), ReadOnly = true, WordWrap = true, CanFocus = false,
        };
        _detailsFrame.Add(_details);

        _promptLabel = new Label { X = 0, Y = Pos.AnchorEnd(3), Text = "", Visible = false };
        _prompt = new TextField { X = Pos.Right(_promptLabel) + 1, Y = Pos.AnchorEnd(3), Width = Dim.Fill(), Visible = false };
        _status = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Text = "loading…" };
        var help = new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = KeyHelp.Line };

        // run ids, finding keys and score names are full of '_': not hot-key markers here
        foreach (View plain in new View[] { _promptLabel, _status, help })
            plain.HotKeySpecifier = new System.Text.Rune(0xFFFF);
        Add(runsFrame, findingsFrame, _detailsFrame, _promptLabel, _prompt, _status, help);

        _runs.ValueChanged += (_, _) => OpenSelectedRun();
        _findings.ValueChanged += (_, _) => ShowDetails();
        _app.Keyboard.KeyDown += OnKeyDown;
    }

    /// <summary>No file work in flight: what tests wait for before reading the screen.</summary>
    public bool IsIdle => Volatile.Read(ref _pending) == 0;

    /// <summary>The status line's text (also drawn on screen).</summary>
    public string StatusText => _status.Text;

    public RunSession? Session => _session;

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
        LoadCatalog(selectId: null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _app.Keyboard.KeyDown -= OnKeyDown;
            if (_pollToken is not null)
                _app.RemoveTimeout(_pollToken);
            _watcher?.Dispose();
        }
        base.Dispose(disposing);
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
        return table;
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
            _runs.Table = new RunsTableSource(entries);
            int index = selectId is null ? 0 : Math.Max(0, entries.ToList().FindIndex(e => e.Id == selectId));
            if (entries.Count == 0)
            {
                _session = null;
                _findings.Table = null;
                _details.Text = $"No runs in {_runsRoot} yet. Scan a model with: memscan scan MODEL --out {_runsRoot}";
                UpdateStatus();
                return;
            }
            _runs.SetSelection(0, index, false, null);
            OpenSelectedRun(force: true);
        });

    private void OpenSelectedRun() => OpenSelectedRun(force: false);

    private void OpenSelectedRun(bool force)
    {
        if (_runs.Value?.SelectedCell.Y is not { } row || row < 0 || row >= _entries.Count)
            return;
        RunEntry entry = _entries[row];
        if (!force && _session?.Entry.Path == entry.Path)
            return;
        int keepRow = force && _session?.Entry.Path == entry.Path ? SelectedFindingRow : 0;
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
            ApplyQuery(keepRow);
        });
    }

    private int SelectedFindingRow => _findings.Value?.SelectedCell.Y ?? 0;

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
    private void ApplyQuery(int selectRow = 0)
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
                ShowOrder(session, query, order, selectRow);
        });
        UpdateStatus();
    }

    private void ShowOrder(RunSession session, FindingsQuery query, int[] order, int selectRow)
    {
        _findings.Table = new FindingsTableSource(session, order, query);
        if (order.Length > 0)
            _findings.SetSelection(0, Math.Clamp(selectRow, 0, order.Length - 1), false, null);
        _findings.Update();
        ShowDetails();
        UpdateStatus();
    }

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

    private void ShowDetails()
    {
        if (_showPlots)
        {
            _detailsFrame.Title = "Plots";
            int width = Math.Max(30, _details.Viewport.Width - 1);
            _details.Text = _session is null ? "" : string.Join('\n', RunPlotsText.Build(_session.Plots, width));
            return;
        }
        _detailsFrame.Title = "Details";
        if (_session is not { } session)
            _details.Text = "";
        else if (SelectedFileRow is not { } row || session.Findings is not { } file)
            _details.Text = session.Entry.IsSweep
                ? $"Sweep {session.Entry.Id}: {session.Entry.Parts} parts, {session.Entry.Rows:N0} rows. Press g for the score distribution."
                : session.Findings is null ? "This run has no readable findings.parquet." : "No finding matches the filters.";
        else if (file.TryGet(row, out Finding? cached))
            ShowFinding(session, cached!);
        else
        {
            // evidence, secret etc. are decoded a row group at a time, off the UI thread
            _details.Text = $"loading {session.Labels.Subjects[row]}…";
            Background(async () =>
            {
                try { return (Finding: await file.GetAsync(row).ConfigureAwait(false), Problem: (string?)null); }
                catch (MemScanException e) { return (Finding: (Finding?)null, Problem: (string?)e.Message); }
            }, loaded =>
            {
                if (_session != session || SelectedFileRow != row || _showPlots)
                    return; // the analyst moved on; whatever is selected now asked for itself
                if (loaded.Finding is { } f)
                    ShowFinding(session, f);
                else
                    _details.Text = $"This finding could not be read: {loaded.Problem}";
            });
        }
    }

    private void ShowFinding(RunSession session, Finding f) =>
        _details.Text = FindingDetailsText.Build(f, session.TriageOf(f), session.CanaryOf(f), _showSecret);

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
                parts.Add("! " + OneLine(s.Problems[0]) + (s.Problems.Count > 1 ? $" (+{s.Problems.Count - 1} more)" : ""));
        }
        if (_message.Length > 0)
            parts.Insert(0, _message);
        _status.Text = parts.Count == 0 ? $"{_runsRoot}: no runs" : string.Join(" | ", parts);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private void SetMessage(string message)
    {
        _message = OneLine(message);
        UpdateStatus();
    }

    // ---- keys ----------------------------------------------------------------------------------

    private void OnKeyDown(object? sender, Key key)
    {
        // only the main screen's own keys; never steal keys from another runnable on top of us
        if (_app.TopRunnableView != this || key.Handled)
            return;
        if (_promptMode != PromptMode.None)
        {
            if (key == Key.Enter)
            {
                CommitPrompt();
                key.Handled = true;
            }
            else if (key == Key.Esc)
            {
                ClosePrompt();
                SetMessage("cancelled");
                key.Handled = true;
            }
            return; // everything else is typing
        }
        if (key == Key.Tab || key == Key.Tab.WithShift)
        {
            // two panes take the keyboard: runs and findings (details follow the finding)
            if (_runs.HasFocus)
                _findings.SetFocus();
            else
                _runs.SetFocus();
            key.Handled = true;
            return;
        }
        if (key == Key.Esc)
        {
            key.Handled = true; // Esc would quit the application; q quits on purpose
            return;
        }
        if (key.IsCtrl || key.IsAlt || key.AsRune.Value is not (>= 32 and < 127))
            return;
        key.Handled = HandleCommand((char)key.AsRune.Value);
    }

    private bool HandleCommand(char c)
    {
        switch (c)
        {
            case 'q':
                _app.RequestStop();
                return true;
            case 's':
                _query = _query with { Sort = (FindingSort)(((int)_query.Sort + 1) % 3) };
                SetMessage($"sorted by {_query.Sort.ToString().ToLowerInvariant()}");
                ApplyQuery();
                return true;
            case 'p':
                IReadOnlyList<string> probes = _session?.Keys.Probes ?? [];
                int next = _query.Probe is null ? 0 : probes.ToList().IndexOf(_query.Probe) + 1;
                _query = _query with { Probe = next < probes.Count ? probes[next] : null };
                SetMessage(_query.Probe is null ? "all probes" : $"probe {_query.Probe}");
                ApplyQuery();
                return true;
            case 'v':
                _query = _query with { MinSeverity = (Severity)(((int)_query.MinSeverity + 1) % 5) };
                SetMessage($"severity >= {_query.MinSeverity.ToName()}");
                ApplyQuery();
                return true;
            case '/':
                OpenPrompt(PromptMode.Filter, "Filter text (Enter applies, empty clears, Esc cancels):", _query.Text ?? "");
                return true;
            case 'c':
            case 'f':
            case 'a':
                if (_session is not { } session || SelectedFileRow is not { } row)
                {
                    SetMessage("select a finding to triage");
                    return true;
                }
                _pendingStatus = c switch { 'c' => TriageStatus.Confirmed, 'f' => TriageStatus.FalsePositive, _ => TriageStatus.AcceptedRisk };
                OpenPrompt(PromptMode.TriageNote, $"{_pendingStatus.ToName()} {session.Labels.Subjects[row]} - note (Enter saves):",
                    session.TriageOf(session.KeyOf(row))?.Note ?? "");
                return true;
            case 'x':
                _showSecret = !_showSecret;
                SetMessage(_showSecret ? "secrets shown" : "secrets masked");
                ShowDetails();
                return true;
            case 'g':
                _showPlots = !_showPlots;
                ShowDetails();
                return true;
            case 'r':
                SetMessage("reloaded");
                Refresh();
                return true;
            default:
                return false;
        }
    }

    private void OpenPrompt(PromptMode mode, string label, string text)
    {
        _promptMode = mode;
        _promptLabel.Text = label;
        _prompt.Text = text;
        _promptLabel.Visible = _prompt.Visible = true;
        _prompt.SetFocus();
    }

    private void ClosePrompt()
    {
        _promptMode = PromptMode.None;
        _promptLabel.Visible = _prompt.Visible = false;
        _findings.SetFocus();
    }

    private void CommitPrompt()
    {
        PromptMode mode = _promptMode;
        string text = _prompt.Text ?? "";
        ClosePrompt();
        if (mode == PromptMode.Filter)
        {
            SetMessage(string.IsNullOrWhiteSpace(text) ? "text filter cleared" : $"filtering '{text.Trim()}'");
            SetTextFilter(text);
        }
        else if (mode == PromptMode.TriageNote && _session is { } session && SelectedFileRow is { } row)
        {
            TriageStatus status = _pendingStatus;
            Background(() => session.MarkAsync(session.KeyOf(row), status, text.Trim()), record =>
            {
                SetMessage($"saved: {record.FindingKey} {record.Status} to {TriageTable.FileName}");
                if (_session != session)
                    return;
                // the order does not depend on triage: redraw the triage column and the details
                _findings.SetNeedsDraw();
                ShowDetails();
            });
        }
    }
}
