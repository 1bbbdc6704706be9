using TorchSharp;
using static TorchSharp.torch;
var lin = nn.Linear(3, 1);
var opt = optim.Adam(lin.parameters(), 0.1);
var x = randn(64, 3); var y = x.sum(1, true);
for (int i = 0; i < 5; i++) { opt.zero_grad(); var loss = nn.functional.mse_loss(lin.forward(x), y); loss.backward(); opt.step(); Console.WriteLine(loss.item<float>()); }
