using MemScan.Trainer.Tests.Export;
using MemScan.Scanner.Onnx;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.Vision;

public class CnnOnnxExporterTests
{
    [Theory]
    [InlineData(1, 28, 28, 10)]
    [InlineData(3, 12, 18, 4)] // odd pooled sizes (18/4 floors to 4) and three channels
    public void Onnx_runtime_logits_and_embedding_equal_TorchSharp_within_1e_4_on_random_inputs(int channels, int height, int width, int classes)
    {
        torch.manual_seed(5 + channels);
        var shape = new CnnShape(channels, height, width, classes, Conv1: 6, Conv2: 10, Hidden: 24, Dropout: 0.3);
        var model = new SmallCnn(shape);
        model.eval();
        string path = Path.Combine(TinyModels.TempDir("cnn-parity"), "cnn.onnx");
        CnnOnnxExporter.Export(model, path);

        const int batch = 5;
        var random = new Random(channels);
        var x = Enumerable.Range(0, batch * channels * height * width).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] torchLogits, torchEmbedding;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var input = tensor(x, [batch, channels, height, width]);
            torchLogits = model.forward(input).data<float>().ToArray();
            torchEmbedding = model.Embed(input).data<float>().ToArray();
        }

        using var session = OnnxSession.Open(path);
        var outputs = session.Run([OnnxInput.Float(CnnOnnxExporter.Images, x, batch, channels, height, width)]);
        Assert.Equal(new long[] { batch, classes }, outputs[CnnOnnxExporter.Logits].Shape);
        Assert.Equal(new long[] { batch, shape.Hidden }, outputs[CnnOnnxExporter.Embedding].Shape);
        OnnxParity.AssertClose(torchLogits, outputs[CnnOnnxExporter.Logits].Data);
        OnnxParity.AssertClose(torchEmbedding, outputs[CnnOnnxExporter.Embedding].Data);
    }
}
