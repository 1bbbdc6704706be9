using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// The child side of model isolation (<c>memscan host-model</c>): loads one untrusted ONNX model
/// and answers Advance requests over stdin/stdout until told to quit. If ONNX Runtime crashes on a
/// hostile model, only this process dies; the scanner reports it and carries on.
/// </summary>
internal static class ModelHostServer
{
    /// <summary>Sent in the Ready message for a model without a context limit.</summary>
    internal const int NoContext = -1;

    public static int Serve(string modelPath, LmIoSpec? io, OnnxSessionOptions options)
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        var frames = new HostFrames(stdin, stdout);
        OnnxLanguageModel model;
        try
        {
            model = OnnxLanguageModel.Open(modelPath, io, options);
        }
        catch (MemScanException e)
        {
            frames.WriteInt((int)HostMessage.Error);
            frames.WriteString(e.Message);
            frames.Flush();
            return 2;
        }
        using (model)
        {
            frames.WriteInt((int)HostMessage.Ready);
            frames.WriteInt(model.VocabSize);
            frames.WriteBool(model.Incremental);
            frames.WriteInt(model.Initial.Tensors.Length);
            frames.WriteString(model.DeviceNote);
            // The context is read from the graph here, in the child: the parent never parses the model.
            frames.WriteInt(model.MaxSequenceLength ?? NoContext);
            frames.WriteString(model.MaxSequenceLengthSource ?? "");
            frames.Flush();
            while (true)
            {
                var message = (HostMessage)frames.ReadInt();
                if (message == HostMessage.Quit) return 0;
                if (message != HostMessage.Advance) throw new InvalidDataException($"unexpected request {message}");
                var (states, tokens, wantLogProbs) = IsolatedLanguageModel.ReadRequest(frames, model.Initial.Tensors.Length);
                try
                {
                    var result = model.Advance(states, tokens, out var logProbs);
                    IsolatedLanguageModel.WriteResult(frames, result, wantLogProbs ? logProbs : null);
                }
                catch (MemScanException e)
                {
                    frames.WriteInt((int)HostMessage.Error);
                    frames.WriteString(e.Message);
                }
                frames.Flush();
            }
        }
    }
}
