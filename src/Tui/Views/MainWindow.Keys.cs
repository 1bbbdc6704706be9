using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>The keys of the triage screen (<see cref="KeyHelp"/> lists them) and the one-line prompt.</summary>
internal sealed partial class MainWindow
{
    private PromptMode _promptMode;
    private TriageStatus _pendingStatus;

    /// <summary>The finding a triage prompt is about, captured when it opened: the mark lands there, whatever moves meanwhile.</summary>
    private FindingRef? _pendingFinding;

    private RunSession? _pendingSession;

    private View[] Panes => [_runs, _findings, _details];

    private View? FocusedPane => Panes.FirstOrDefault(p => p.HasFocus);

    private void OnKeyDown(object? sender, Key key)
    {
        // only the main screen's own keys; never steal keys from another runnable on top of us
        if (_app.TopRunnableView != this || key.Handled)
            return;
        if (key == Key.C.WithCtrl || key == Key.Q.WithCtrl)
        {
            _app.RequestStop();
            key.Handled = true;
            return;
        }
        if (_help.Visible)
        {
            key.Handled = HelpKey(key);
            return;
        }
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
        key.Handled = PaneKey(key) || (!key.IsCtrl && !key.IsAlt && key.AsRune.Value is >= 32 and < 127 && HandleCommand((char)key.AsRune.Value));
    }

    /// <summary>While the help is open: closing keys close it, scrolling keys scroll it, the rest wait.</summary>
    private bool HelpKey(Key key)
    {
        int c = key.AsRune.Value;
        if (key == Key.Esc || key == Key.F1 || (!key.IsCtrl && c is '?' or 'q'))
        {
            _help.Close();
            (_lastPane ?? _findings).SetFocus();
            return true;
        }
        if (!key.IsCtrl && c is 'j' or 'k')
        {
            _help.Scroller.NewKeyDownEvent(c == 'j' ? Key.CursorDown : Key.CursorUp);
            return true;
        }
        // arrows and pages reach the help's text view; everything else is swallowed
        return !(key == Key.CursorDown || key == Key.CursorUp || key == Key.PageDown || key == Key.PageUp ||
            key == Key.Home || key == Key.End || key == Key.Home.WithCtrl || key == Key.End.WithCtrl);
    }

    private View? _lastPane;

    /// <summary>Focus, movement and Esc; false for keys that are commands or belong to the pane.</summary>
    private bool PaneKey(Key key)
    {
        if (key == Key.F1 || (!key.IsCtrl && key.AsRune.Value == '?'))
        {
            _lastPane = FocusedPane;
            _help.Open();
            return true;
        }
        if (key == Key.Tab || key == Key.Tab.WithShift)
        {
            View[] panes = Panes;
            int at = Array.IndexOf(panes, FocusedPane);
            int step = key == Key.Tab ? 1 : panes.Length - 1;
            panes[((at < 0 ? 0 : at) + step) % panes.Length].SetFocus();
            UpdateTitles();
            return true;
        }
        if (key == Key.Esc)
        {
            // Esc would quit the application; here it clears what narrows the view (q quits on purpose)
            if (_query.HasText || _query.Probe is not null || _query.MinSeverity > Severity.Info)
            {
                _query = _query with { Text = null, Probe = null, MinSeverity = Severity.Info };
                _textMatches = null;
                SetMessage("filters cleared");
                ApplyQuery();
            }
            return true;
        }
        // Home/End go to the first/last row (the tables' own Home/End move within the row)
        if (key == Key.Home || key == Key.End)
        {
            FocusedPane?.NewKeyDownEvent(key == Key.Home ? Key.Home.WithCtrl : Key.End.WithCtrl);
            return true;
        }
        int c = key.AsRune.Value;
        if (!key.IsCtrl && !key.IsAlt && c is 'j' or 'k')
        {
            FocusedPane?.NewKeyDownEvent(c == 'j' ? Key.CursorDown : Key.CursorUp);
            return true;
        }
        return false;
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
                SetMessage($"sorted by {_query.Sort.ToName()}");
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
                if (SelectedRef is not { } finding || _findings.Table is not FindingsTableSource source)
                {
                    SetMessage("select a finding to triage");
                    return true;
                }
                _pendingStatus = c switch { 'c' => TriageStatus.Confirmed, 'f' => TriageStatus.FalsePositive, _ => TriageStatus.AcceptedRisk };
                _pendingFinding = finding;
                _pendingSession = source.Session;
                OpenPrompt(PromptMode.TriageNote,
                    $"{_pendingStatus.ToName()} {finding.Probe}/{finding.Subject} ({finding.Metric}) - note (Enter saves):",
                    source.Session.TriageOf(finding.TriageKey)?.Note ?? "");
                return true;
            case 'u':
                ClearMark();
                return true;
            case 'x':
                _showSecret = !_showSecret;
                SetMessage(_showSecret ? "secrets shown" : "secrets masked");
                ShowDetails();
                return true;
            case 'g':
                _mode = _mode == DetailsMode.Plots ? DetailsMode.Finding : DetailsMode.Plots;
                ShowDetails();
                return true;
            case '!':
                _mode = _mode == DetailsMode.Problems ? DetailsMode.Finding : DetailsMode.Problems;
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
        _lastPane = FocusedPane;
        _promptLabel.Text = label;
        _prompt.Text = text;
        _promptLabel.Visible = _prompt.Visible = true;
        _prompt.SetFocus();
    }

    private void ClosePrompt()
    {
        _promptMode = PromptMode.None;
        _promptLabel.Visible = _prompt.Visible = false;
        (_lastPane ?? _findings).SetFocus();
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
        else if (mode == PromptMode.TriageNote && _pendingFinding is { } finding && _pendingSession is { } asked)
            Save(asked, finding, _pendingStatus, text.Trim());
    }

    /// <summary>'u': withdraws the selected finding's mark (an "untriaged" decision, so the file keeps the trail).</summary>
    private void ClearMark()
    {
        if (SelectedRef is not { } finding || _findings.Table is not FindingsTableSource source)
        {
            SetMessage("select a finding to clear its mark");
            return;
        }
        if (source.Session.TriageOf(finding.TriageKey) is null)
        {
            SetMessage($"{finding.TriageKey} has no mark to clear");
            return;
        }
        Save(source.Session, finding, TriageStatus.Untriaged, "");
    }

    /// <summary>
    /// Saves a decision about <paramref name="finding"/> (by key, never by row) through the session
    /// that is open now if it is the same run, else through <paramref name="asked"/>.
    /// </summary>
    private void Save(RunSession asked, FindingRef finding, TriageStatus status, string note)
    {
        RunSession target = _session is { } now && now.Entry.Path == asked.Entry.Path ? now : asked;
        Background(() => target.MarkAsync(finding.TriageKey, status, note), record =>
        {
            SetMessage(status == TriageStatus.Untriaged
                ? $"cleared: {record.FindingKey} (untriaged) in {TriageTable.FileName}"
                : $"saved: {record.FindingKey} {record.Status} to {TriageTable.FileName}");
            // a refresh may have replaced the session while the file was written
            if (_session is { } current && current != target && current.Entry.Path == target.Entry.Path)
                current.Remember(record);
            // the order does not depend on triage: redraw the triage column and the details
            _findings.SetNeedsDraw();
            ShowDetails();
        });
    }
}
