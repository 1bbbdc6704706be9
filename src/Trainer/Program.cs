using TorchSharp;
var x = torch.randn(4, 3);
Console.WriteLine(x.sum().item<float>());
