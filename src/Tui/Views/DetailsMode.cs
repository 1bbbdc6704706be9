namespace MemScan.Tui.Views;

/// <summary>What the right-hand (or lower) pane shows.</summary>
internal enum DetailsMode
{
    /// <summary>The selected finding.</summary>
    Finding,

    /// <summary>The run's plots ('g').</summary>
    Plots,

    /// <summary>Every table of the run that could not be read, and every corrupt run ('!').</summary>
    Problems,
}
