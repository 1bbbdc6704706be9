using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// The two kinds of state a loop moved into the model host must carry bitwise: a stateful
/// char-LSTM (recurrent state) and a KV-cached GPT-style model (caches that grow).
/// </summary>
internal static class LoopTestModels
{
    public static TheoryData<string> Kinds => new() { "lstm", "kv-cache" };

    public static string Write(TempDir dir, string kind) => kind == "lstm"
        ? Sweeps.TinyLstmOnnxModel.Write(dir.File("lstm.onnx"), vocab: 29)
        : CacheSumOnnxModel.Write(dir.File("kv.onnx"), vocab: 23);
}
