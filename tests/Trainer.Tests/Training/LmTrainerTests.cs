using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.Training;

public class LmTrainerTests
{
    [Fact]
    public void TorchSharp_loads_and_two_training_steps_lower_the_loss_on_a_fixed_batch()
    {
        string text = TinyModels.ProseSample(20_000);
        var tokenizer = CharTokenizer.FromText(text);
        torch.manual_seed(3);
        var model = new CharLstmLm(new CharLstmShape(tokenizer.VocabSize, 16, 32, 1));
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        var ids = tokenizer.Encode(text[..(8 * 33)]).Select(i => (long)i).ToArray();
        using var batch = tensor(ids, [8, 33]);
        using var x = batch.narrow(1, 0, 32);
        using var y = batch.narrow(1, 1, 32);

        double Loss(bool step)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (logits, _, _) = model.forward(x, null);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, tokenizer.VocabSize), y.reshape(-1));
            if (step) { loss.backward(); optimizer.step(); }
            return loss.item<float>();
        }

        double before = Loss(step: true);
        Loss(step: true);
        double after = Loss(step: false);
        Assert.True(after < before - 0.01, $"loss went from {before:F4} to {after:F4}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_model()
    {
        var config = TinyModels.Config(steps: 5);
        string text = TinyModels.ProseSample(10_000);
        var tokenizer = CharTokenizer.FromText(text);
        var a = MemScan.Trainer.Training.LmTrainer.Train(text, tokenizer, config);
        var b = MemScan.Trainer.Training.LmTrainer.Train(text, tokenizer, config);
        Assert.Equal(a.FinalLoss, b.FinalLoss, 6);
        var wa = a.Model.head.weight!.data<float>().ToArray();
        var wb = b.Model.head.weight!.data<float>().ToArray();
        Assert.Equal(wa, wb);
    }
}
