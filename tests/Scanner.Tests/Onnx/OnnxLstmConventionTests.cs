using Xunit;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Onnx;

/// <summary>
/// Pins the ONNX LSTM conventions the Trainer's exporter relies on: W is [dirs, 4H, in] and R is
/// [dirs, 4H, H] with gate blocks in the order i, o, f, c; B is [dirs, 8H] = [Wb; Rb]; X is
/// [seq, batch, in] (layout 0); Y is [seq, dirs, batch, H].
/// </summary>
public class OnnxLstmConventionTests
{
    private const int Seq = 5, Batch = 2, In = 3, H = 4;

    [Fact]
    public void Onnx_LSTM_matches_a_hand_written_reference_with_gates_i_o_f_c_and_B_as_Wb_then_Rb()
    {
        var rng = new Random(1234);
        float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var w = Rand(4 * H * In);
        var r = Rand(4 * H * H);
        var bias = Rand(8 * H);
        var x = Rand(Seq * Batch * In);
        var h0 = Rand(Batch * H);
        var c0 = Rand(Batch * H);

        using var dir = new TempDir();
        var path = dir.File("lstm.onnx");
        var b = new OnnxGraphBuilder("lstm")
            .AddInput("x", OnnxElementType.Float, "seq", "batch", In)
            .AddInput("h0", OnnxElementType.Float, 1, "batch", H)
            .AddInput("c0", OnnxElementType.Float, 1, "batch", H)
            .AddInitializer("W", w, [1, 4 * H, In])
            .AddInitializer("R", r, [1, 4 * H, H])
            .AddInitializer("B", bias, [1, 8 * H])
            .AddOutput("y", OnnxElementType.Float, "seq", 1, "batch", H)
            .AddOutput("y_h", OnnxElementType.Float, 1, "batch", H)
            .AddOutput("y_c", OnnxElementType.Float, 1, "batch", H);
        // "" = omitted optional input (sequence_lens): every sequence runs its full length.
        b.AddNode("LSTM", ["x", "W", "R", "B", "", "h0", "c0"], ["y", "y_h", "y_c"],
            OnnxAttribute.Int("hidden_size", H));
        b.Save(path);

        using var session = OnnxSession.Open(path);
        var outputs = session.Run([
            OnnxInput.Float("x", x, Seq, Batch, In),
            OnnxInput.Float("h0", h0, 1, Batch, H),
            OnnxInput.Float("c0", c0, 1, Batch, H),
        ]);

        var (yRef, hRef, cRef) = ReferenceLstm(x, w, r, bias, h0, c0);
        Assert.Equal(new long[] { Seq, 1, Batch, H }, outputs["y"].Shape);
        AssertClose(yRef, outputs["y"].Data);
        AssertClose(hRef, outputs["y_h"].Data);
        AssertClose(cRef, outputs["y_c"].Data);

        // The same weights read with PyTorch's gate order (i, f, g, o) give different numbers:
        // the order above is a real, tested convention, not an accident of symmetric weights.
        var (yTorchOrder, _, _) = ReferenceLstm(x, w, r, bias, h0, c0, gateOrder: [0, 2, 3, 1]);
        Assert.True(yTorchOrder.Zip(outputs["y"].Data).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);
    }

    /// <summary>
    /// ONNX LSTM (no peepholes, default activations):
    /// i = σ(x Wiᵀ + h Riᵀ + Wbi + Rbi), o = σ(...), f = σ(...), c̃ = tanh(...),
    /// C = f ⊙ C + i ⊙ c̃, H = o ⊙ tanh(C).
    /// <paramref name="gateOrder"/> gives the block index of (i, o, f, c) inside W, R and each half of B.
    /// </summary>
    private static (float[] Y, float[] H, float[] C) ReferenceLstm(float[] x, float[] w, float[] r, float[] bias,
        float[] h0, float[] c0, int[]? gateOrder = null)
    {
        gateOrder ??= [0, 1, 2, 3];
        var h = (float[])h0.Clone();
        var c = (float[])c0.Clone();
        var y = new float[Seq * Batch * H];
        for (int t = 0; t < Seq; t++)
        {
            var hNext = new float[Batch * H];
            var cNext = new float[Batch * H];
            for (int n = 0; n < Batch; n++)
            {
                double Gate(int gate, int j)
                {
                    int row = gateOrder[gate] * H + j;
                    double s = bias[row] + bias[4 * H + row];
                    for (int k = 0; k < In; k++) s += x[(t * Batch + n) * In + k] * w[row * In + k];
                    for (int k = 0; k < H; k++) s += h[n * H + k] * r[row * H + k];
                    return s;
                }
                for (int j = 0; j < H; j++)
                {
                    double i = Sigmoid(Gate(0, j)), o = Sigmoid(Gate(1, j)), f = Sigmoid(Gate(2, j)), g = Math.Tanh(Gate(3, j));
                    double cell = f * c[n * H + j] + i * g;
                    cNext[n * H + j] = (float)cell;
                    hNext[n * H + j] = (float)(o * Math.Tanh(cell));
                }
            }
            h = hNext;
            c = cNext;
            Array.Copy(h, 0, y, t * Batch * H, Batch * H);
        }
        return (y, h, c);
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
