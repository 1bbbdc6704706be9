using MemScan.Scanner.Onnx;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.Export;

public class CharLstmOnnxExporterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Onnx_runtime_logits_and_state_equal_TorchSharp_within_1e_4_on_random_inputs(int layers)
    {
        torch.manual_seed(17 + layers);
        var shape = new CharLstmShape(Vocab: 37, Embedding: 12, Hidden: 24, Layers: layers);
        var model = new CharLstmLm(shape);
        model.eval();
        string path = Path.Combine(TinyModels.TempDir("parity"), "lstm.onnx");
        CharLstmOnnxExporter.Export(model, path);

        const int batch = 3, seq = 11;
        var random = new Random(layers);
        var ids = Enumerable.Range(0, batch * seq).Select(_ => (long)random.Next(shape.Vocab)).ToArray();
        var h0 = Enumerable.Range(0, layers * batch * shape.Hidden).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var c0 = Enumerable.Range(0, layers * batch * shape.Hidden).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        float[] torchLogits, torchH, torchC;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (logits, h, c) = model.forward(tensor(ids, [batch, seq]),
                (tensor(h0, [layers, batch, shape.Hidden]), tensor(c0, [layers, batch, shape.Hidden])));
            torchLogits = logits.data<float>().ToArray();
            torchH = h.data<float>().ToArray();
            torchC = c.data<float>().ToArray();
        }

        using var session = OnnxSession.Open(path);
        var outputs = session.Run(
        [
            OnnxInput.Int64(CharLstmOnnxExporter.InputIds, ids, batch, seq),
            OnnxInput.Float(CharLstmOnnxExporter.H0, h0, layers, batch, shape.Hidden),
            OnnxInput.Float(CharLstmOnnxExporter.C0, c0, layers, batch, shape.Hidden),
        ]);
        Assert.Equal(new long[] { batch, seq, shape.Vocab }, outputs[CharLstmOnnxExporter.Logits].Shape);
        OnnxParity.AssertClose(torchLogits, outputs[CharLstmOnnxExporter.Logits].Data);
        OnnxParity.AssertClose(torchH, outputs[CharLstmOnnxExporter.Hn].Data);
        OnnxParity.AssertClose(torchC, outputs[CharLstmOnnxExporter.Cn].Data);
    }
}
