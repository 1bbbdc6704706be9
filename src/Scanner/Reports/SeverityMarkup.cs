using MemScan.Scanner.Results;

namespace MemScan.Scanner.Reports;

/// <summary>The one colour per severity every console report and table uses, so a critical finding looks the same everywhere.</summary>
public static class SeverityMarkup
{
    /// <summary>The Spectre style of <paramref name="severity"/>.</summary>
    public static string Colour(Severity severity) => severity switch
    {
        Severity.Critical => "bold red",
        Severity.High => "red",
        Severity.Medium => "yellow",
        Severity.Low => "blue",
        _ => "grey",
    };

    /// <summary>The severity's name in its colour, as console markup.</summary>
    public static string Label(Severity severity) => $"[{Colour(severity)}]{severity.ToName()}[/]";
}
