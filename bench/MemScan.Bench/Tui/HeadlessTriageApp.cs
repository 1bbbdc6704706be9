using System.Diagnostics;
using System.Reflection;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace MemScan.Bench.Tui;

/// <summary>
/// memscan-tui's main window in a headless Terminal.Gui application (ANSI driver, fixed screen),
/// driven by injected keys like tests/Tui.Tests' HeadlessTui, but timed: every piece of work on the
/// UI thread (a key handler, queued callbacks, a frame's layout and draw) is measured, so a step
/// reports both when its result was on screen and the longest the keyboard was blocked meanwhile.
/// </summary>
public sealed class HeadlessTriageApp : IDisposable
{
    private readonly IApplication _app;
    private readonly Runnable _window;
    private readonly PropertyInfo _isIdle, _statusText;
    private readonly SynchronizationContext? _previousContext = SynchronizationContext.Current;
    private TimeSpan _longestStall;

    public HeadlessTriageApp(TuiBuild build, string runsRoot, int width = 160, int height = 48)
    {
        _app = Application.Create();
        _app.Init(DriverRegistry.Names.ANSI);
        SynchronizationContext.SetSynchronizationContext(_previousContext);
        _app.Driver!.SetScreenSize(width, height);
        _window = (Runnable)Activator.CreateInstance(build.MainWindow, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
            null, [_app, runsRoot], null)!;
        _isIdle = build.MainWindow.GetProperty("IsIdle")!;
        _statusText = build.MainWindow.GetProperty("StatusText")!;
        _app.Begin(_window);
        OnUiThread(() => build.MainWindow.GetMethod("Start")!.Invoke(_window, null));
    }

    public string StatusText => (string)_statusText.GetValue(_window)!;

    private bool IsIdle => (bool)_isIdle.GetValue(_window)!;

    /// <summary>Time until the window is idle with its result drawn, and the longest single UI-thread stall.</summary>
    public StepTiming WaitIdle(Stopwatch since)
    {
        do
        {
            OnUiThread(() => _app.TimedEvents?.RunTimers());
            OnUiThread(() => _app.LayoutAndDraw(forceRedraw: false));
            if (IsIdle)
            {
                OnUiThread(() => _app.TimedEvents?.RunTimers());
                if (IsIdle)
                {
                    OnUiThread(() => _app.LayoutAndDraw(forceRedraw: true));
                    break;
                }
            }
            Thread.Sleep(2);
        }
        while (since.Elapsed < TimeSpan.FromMinutes(3));
        var timing = new StepTiming(since.Elapsed, _longestStall);
        _longestStall = TimeSpan.Zero;
        return timing;
    }

    /// <summary>Presses keys (each handled on the UI thread, as the real loop would) and waits for what they started.</summary>
    public StepTiming Press(params Key[] keys)
    {
        var clock = Stopwatch.StartNew();
        foreach (Key key in keys)
            OnUiThread(() => _app.InjectKey(key));
        return WaitIdle(clock);
    }

    public static Key[] Text(string text) => text.Select(c => c == ' ' ? Key.Space : (Key)c).ToArray();

    public string Screen()
    {
        OnUiThread(() => _app.LayoutAndDraw(forceRedraw: true));
        return _app.Driver!.ToString() ?? "";
    }

    private void OnUiThread(Action work)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            work();
        }
        finally
        {
            // Terminal.Gui re-installs its context as it runs: keep the bench's own
            SynchronizationContext.SetSynchronizationContext(_previousContext);
            if (clock.Elapsed > _longestStall)
                _longestStall = clock.Elapsed;
        }
    }

    public void Dispose()
    {
        _window.Dispose();
        _app.Dispose();
        SynchronizationContext.SetSynchronizationContext(_previousContext);
    }
}

/// <summary>One step: until its result was on screen, and the longest the UI thread was busy meanwhile.</summary>
public readonly record struct StepTiming(TimeSpan Ready, TimeSpan LongestStall);
