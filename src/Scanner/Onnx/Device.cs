namespace MemScan.Scanner.Onnx;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum Device
{
    Cpu,
    Cuda,
}

/// <summary>
/// The names of <see cref="Device"/> on command lines, in one place: what a user types after
/// <c>--device</c> and what the scanner passes to the isolated host it starts.
/// </summary>
public static class DeviceNames
{
    public const string Cpu = "cpu", Cuda = "cuda";

    public static Device Parse(string? name) => name == Cuda ? Device.Cuda : Device.Cpu;

    public static string NameOf(Device device) => device == Device.Cuda ? Cuda : Cpu;
}
