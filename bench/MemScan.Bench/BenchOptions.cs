using MemScan.Scanner.Onnx;

namespace MemScan.Bench;

/// <summary>
/// memscan-bench's flags. <c>--only lstm,gpt,decode,isolation,tune,train,tui,kvtree</c> picks sections (all by
/// default); sizes keep a run short on a small machine. Two bare numbers are read as the old
/// positional form <c>HIDDEN ORT_THREADS</c>.
/// </summary>
public sealed record BenchOptions
{
    public static readonly string[] Sections = ["lstm", "gpt", "decode", "isolation", "hostloops", "kvtree", "tune", "train", "tui"];

    public HashSet<string> Only { get; init; } = [.. Sections];
    /// <summary>char-LSTM hidden size.</summary>
    public int Hidden { get; init; } = 256;
    /// <summary>ONNX Runtime intra-op threads (0 = ORT picks) and TorchSharp threads when &gt; 0.</summary>
    public int Threads { get; init; }
    /// <summary>Candidate space digits:N (10^N candidates).</summary>
    public int Digits { get; init; } = 6;
    public int GptDim { get; init; } = 128;
    public int GptLayers { get; init; } = 2;
    /// <summary>Rows per model run for batched scoring and the tree search.</summary>
    public int Batch { get; init; } = 512;

    /// <summary>Findings in the triage UI section's generated run.</summary>
    public int TuiRows { get; init; } = 1_000_000;

    /// <summary>memscan-tui.dll of an earlier commit to time beside this tree's (bench/build-tui-before.sh).</summary>
    public string? TuiBefore { get; init; }

    /// <summary>ONNX Runtime device; cuda needs the GPU build (-p:MemScanGpu=true), else CPU with a note.</summary>
    public Device Device { get; init; } = Device.Cpu;

    public OnnxSessionOptions Session => new() { IntraOpThreads = Threads, Device = Device };

    public bool Runs(string section) => Only.Contains(section);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var positional = new List<int>();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() { string v = Value(); return int.TryParse(v, out int n) ? n : throw new ArgumentException($"{args[i - 1]} expects a number, got '{v}'"); }
            switch (args[i])
            {
                case "--only":
                    var only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    var unknown = only.Except(Sections).ToArray();
                    if (unknown.Length > 0) throw new ArgumentException($"--only: unknown section(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Sections)}");
                    o = o with { Only = only };
                    break;
                case "--hidden": o = o with { Hidden = Int() }; break;
                case "--threads": o = o with { Threads = Int() }; break;
                case "--digits": o = o with { Digits = Int() }; break;
                case "--gpt-dim": o = o with { GptDim = Int() }; break;
                case "--gpt-layers": o = o with { GptLayers = Int() }; break;
                case "--batch": o = o with { Batch = Int() }; break;
                case "--tui-rows": o = o with { TuiRows = Int() }; break;
                case "--tui-before": o = o with { TuiBefore = Value() }; break;
                case "--device":
                    o = o with
                    {
                        Device = Value() switch
                        {
                            "cpu" => Device.Cpu,
                            "cuda" => Device.Cuda,
                            var other => throw new ArgumentException($"--device expects cpu or cuda, got '{other}'"),
                        },
                    };
                    break;
                case "-h" or "--help":
                    throw new ArgumentException("usage: memscan-bench [--only " + string.Join(",", Sections) +
                                                "] [--hidden 256] [--threads 0] [--digits 6] [--gpt-dim 128] [--gpt-layers 2] [--batch 512] [--device cpu|cuda] [--tui-rows 1000000] [--tui-before memscan-tui.dll]");
                default:
                    if (int.TryParse(args[i], out int n)) positional.Add(n);
                    else throw new ArgumentException($"unknown option '{args[i]}' (try --help)");
                    break;
            }
        }
        if (positional.Count > 0) o = o with { Hidden = positional[0] };
        if (positional.Count > 1) o = o with { Threads = positional[1] };
        if (o.Digits is < 3 or > 7) throw new ArgumentException($"--digits must be 3..7, got {o.Digits}");
        return o;
    }
}
