namespace MemScan.Tui.Views;

/// <summary>The key bindings, shown on the help line and in the README.</summary>
internal static class KeyHelp
{
    public const string Line =
        "Tab pane  s sort  p probe  v min-sev  / text  c/f/a triage  x secret  g plots  r reload  q quit";
}
