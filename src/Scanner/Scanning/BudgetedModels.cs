using MemScan.Scanner.Isolation;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// Opens a scan's language model under its <c>--memory-budget</c>: in the isolated host (the
/// default), which bounds its state table and its runs by the budget passed on its command line,
/// or in process with the runs bounded here. Either way one run's outputs and caches stay within
/// <see cref="RunBudgets.PerRun"/>, so the same rows go into the same runs and the floats match.
/// </summary>
public static class BudgetedModels
{
    public static LanguageModel Open(string path, LmIoSpec? io, OnnxSessionOptions options, bool isolate, long memoryBudget)
    {
        if (isolate) return IsolatedLanguageModel.Open(path, io, options, memoryBudget: memoryBudget);
        var model = OnnxLanguageModel.Open(path, io, options);
        model.RunBudgetBytes = RunBudgets.PerRun(memoryBudget);
        return model;
    }
}
