using System.Diagnostics;
using MemScan.Tui.Views;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;

namespace MemScan.Tui.Tests.Views;

/// <summary>
/// The real <see cref="MainWindow"/> in a real Terminal.Gui application on the ANSI driver with a
/// fixed screen, driven by injected keys, the way Terminal.Gui's own tests drive views. Background
/// loads come back through app.Invoke, so waiting means running the app's timers until idle.
/// </summary>
internal sealed class HeadlessTui : IDisposable
{
    private readonly IApplication _app;
    // Init installs Terminal.Gui's SynchronizationContext on this thread; an await in the test would
    // then post its continuation to a loop nobody runs, and hang.
    private readonly SynchronizationContext? _previousContext = SynchronizationContext.Current;

    public HeadlessTui(string runsRoot, int width = 140, int height = 40)
    {
        _app = Application.Create();
        _app.Init(DriverRegistry.Names.ANSI);
        // The test's own awaits must not resume on Terminal.Gui's loop, which only runs when the
        // harness pumps it: keep the test's context (the app gets its work through Invoke/timers).
        SynchronizationContext.SetSynchronizationContext(_previousContext);
        _app.Driver!.SetScreenSize(width, height);
        Window = new MainWindow(_app, runsRoot);
        _app.Begin(Window);
        Window.Start();
        WaitIdle();
    }

    public MainWindow Window { get; }

    /// <summary>Presses keys one by one, waiting after each for the work it started.</summary>
    public HeadlessTui Press(params Key[] keys)
    {
        foreach (Key key in keys)
        {
            _app.InjectKey(key);
            WaitIdle();
        }
        return this;
    }

    /// <summary>Presses a key without waiting for the work it starts (to look at the screen meanwhile).</summary>
    public HeadlessTui PressWithoutWaiting(Key key)
    {
        _app.InjectKey(key);
        RunQueuedUiWork();
        return this;
    }

    /// <summary>Runs the UI work queued so far (results of finished background work), once.</summary>
    public void RunQueuedUiWork()
    {
        _app.TimedEvents?.RunTimers();
        SynchronizationContext.SetSynchronizationContext(_previousContext);
    }

    /// <summary>Types text into whatever has focus (the prompt).</summary>
    public HeadlessTui Type(string text)
    {
        foreach (char c in text)
            _app.InjectKey(c == ' ' ? Key.Space : (Key)c);
        return this;
    }

    /// <summary>Runs queued UI work until no file work is in flight (fails after 10 s).</summary>
    public void WaitIdle()
    {
        try
        {
            PumpUntilIdle();
        }
        finally
        {
            // Terminal.Gui re-installs its context as it runs (e.g. on quit): put the test's back.
            SynchronizationContext.SetSynchronizationContext(_previousContext);
        }
    }

    private void PumpUntilIdle()
    {
        var clock = Stopwatch.StartNew();
        do
        {
            _app.TimedEvents?.RunTimers();
            if (Window.IsIdle)
            {
                _app.TimedEvents?.RunTimers();
                if (Window.IsIdle)
                    return;
            }
            Thread.Sleep(5);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(10));
        throw new TimeoutException("the TUI did not become idle in 10 s; status: " + Window.StatusText);
    }

    /// <summary>Waits until the screen shows <paramref name="text"/> (live updates arrive on their own).</summary>
    public string WaitForScreen(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string screen;
        do
        {
            _app.TimedEvents?.RunTimers();
            screen = Screen();
            if (screen.Contains(text, StringComparison.Ordinal))
                return screen;
            Thread.Sleep(20);
        }
        while (clock.Elapsed < timeout);
        throw new TimeoutException($"'{text}' did not appear in {timeout}; screen:\n{screen}");
    }

    /// <summary>Changes the screen size, as a terminal resize does.</summary>
    public HeadlessTui Resize(int width, int height)
    {
        _app.Driver!.SetScreenSize(width, height);
        _app.LayoutAndDraw(forceRedraw: true);
        WaitIdle();
        return this;
    }

    /// <summary>Lays out and draws, then returns every cell as drawn: text and attribute (rows, then columns).</summary>
    public Cell[,] Cells()
    {
        _app.LayoutAndDraw(forceRedraw: true);
        return (Cell[,])_app.Driver!.Contents!.Clone();
    }

    /// <summary>Runs the app's timers until the status line satisfies <paramref name="done"/>.</summary>
    public void WaitForStatus(Func<string, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            _app.TimedEvents?.RunTimers();
            SynchronizationContext.SetSynchronizationContext(_previousContext);
            if (done(Window.StatusText))
                return;
            Thread.Sleep(20);
        }
        while (clock.Elapsed < timeout);
        throw new TimeoutException("the status line did not change as expected; it says: " + Window.StatusText);
    }

    /// <summary>Lays out and draws, then returns the screen as text, one line per row.</summary>
    public string Screen()
    {
        _app.LayoutAndDraw(forceRedraw: true);
        return _app.Driver!.ToString() ?? "";
    }

    public bool Stopped => _app.TopRunnableView is null || (Window.StopRequested);

    public void Dispose()
    {
        Window.Dispose();
        _app.Dispose();
        SynchronizationContext.SetSynchronizationContext(_previousContext);
    }
}
