namespace MemScan.Tui.Data;

/// <summary>
/// One point of a ROC curve, read from any run table with <c>fpr</c> and <c>tpr</c> columns
/// (e.g. a membership-inference probe's <c>roc.parquet</c>). Read by column name rather than as a
/// typed table so that each probe may add its own columns (threshold, attack name, ...).
/// </summary>
internal sealed record RocPoint(double Fpr, double Tpr);
