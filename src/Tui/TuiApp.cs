using MemScan.Tui.Views;
using Terminal.Gui.App;

namespace MemScan.Tui;

/// <summary>Runs the triage screen in the real terminal until the analyst quits.</summary>
internal static class TuiApp
{
    public static int Run(string runsRoot)
    {
        using IApplication app = Application.Create().Init();
        using var window = new MainWindow(app, runsRoot);
        window.Start();
        app.Run(window);
        return 0;
    }
}
