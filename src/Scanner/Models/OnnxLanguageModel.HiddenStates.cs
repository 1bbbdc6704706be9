using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

public sealed partial class OnnxLanguageModel
{
    /// <summary>
    /// Runs one sequence from the empty state (batch 1) and returns the named tensors as the graph
    /// computed them — intermediate ones must have been made graph outputs first (memscan compare
    /// does so with <see cref="Similarity.LayerOutputs.Expose"/>). Batch 1 keeps the layouts of a
    /// batch-first [1, T, D] and a sequence-first [T, 1, D] tensor the same: T rows of D values.
    /// </summary>
    public IReadOnlyList<OnnxTypedTensor> Tensors(int[] tokens, IReadOnlyList<string> names)
    {
        if (_firstSession is not null)
            throw new MemScanException($"{_session.ModelPath}: a decoder / decoder-with-past pair has no single graph to read hidden states from; export one file");
        if (tokens.Length == 0) throw new MemScanException("no tokens to run");
        var inputs = Inputs(_io, [Initial], [tokens], firstStep: false, tokens.Length);
        var outputs = _session.RunTyped(inputs, names);
        return names.Select(n => outputs[n]).ToList();
    }
}
