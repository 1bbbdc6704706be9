namespace MemScan.Scanner.Plots;

/// <summary>How <see cref="RocPlot"/> scales its axes.</summary>
public enum RocAxes
{
    /// <summary>FPR and TPR from 0 to 1: shows the AUC.</summary>
    Linear,

    /// <summary>
    /// log10 FPR against log10 TPR, as Carlini et al. 2022 recommend: shows the low-FPR regime where
    /// an attack is confident. Zero rates are drawn at the axis floor, half the smallest non-zero rate.
    /// </summary>
    LogLog,
}
