using MemScan.Scanner.Onnx;

namespace MemScan.Bench;

/// <summary>
/// memscan-bench's flags. <c>--only lstm,gpt,decode,isolation,tune,train,tui,kvtree</c> picks sections (all by
/// default); sizes keep a run short on a small machine. Two bare numbers are read as the old
/// positional form <c>HIDDEN ORT_THREADS</c>.
/// </summary>
public sealed record BenchOptions
{
    public static readonly string[] Sections = ["lstm", "gpt", "decode", "isolation", "hostloops", "decodeloop", "kvtree", "tune", "train", "tui", "gpt124m"];

    /// <summary>Every section but gpt124m (~15 minutes and several GB on 2 cores: asked for by name).</summary>
    public HashSet<string> Only { get; init; } = [.. Sections.Where(s => s != "gpt124m")];

    /// <summary>gpt124m: which of <see cref="Gpt124m.Gpt124mBench.Probes"/> to run (all by default).</summary>
    public HashSet<string> Gpt124mProbes { get; init; } = [.. Gpt124m.Gpt124mBench.Probes];
    /// <summary>gpt124m: width and depth (768 × 12 = GPT-2 small; smaller for a quick check of the section).</summary>
    public int Gpt124mDim { get; init; } = 768;
    public int Gpt124mLayers { get; init; } = 12;
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
                case "--gpt124m-probes":
                    var probes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    var unknownProbes = probes.Except(Gpt124m.Gpt124mBench.Probes).ToArray();
                    if (unknownProbes.Length > 0) throw new ArgumentException($"--gpt124m-probes: unknown probe(s) {string.Join(", ", unknownProbes)}; known: {string.Join(", ", Gpt124m.Gpt124mBench.Probes)}");
                    o = o with { Gpt124mProbes = probes };
                    break;
                case "--gpt124m-dim": o = o with { Gpt124mDim = Int() }; break;
                case "--gpt124m-layers": o = o with { Gpt124mLayers = Int() }; break;
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
                                                "] [--hidden 256] [--threads 0] [--digits 6] [--gpt-dim 128] [--gpt-layers 2] [--batch 512] [--device cpu|cuda] [--tui-rows 1000000] [--tui-before memscan-tui.dll] " +
                                                "[--gpt124m-probes " + string.Join(",", Gpt124m.Gpt124mBench.Probes) + "] [--gpt124m-dim 768] [--gpt124m-layers 12]");
                default:
                    if (int.TryParse(args[i], out int n)) positional.Add(n);
                    else throw new ArgumentException($"unknown option '{args[i]}' (try --help)");
                    break;
            }
        }
        if (positional.Count > 0) o = o with { Hidden = positional[0] };
        if (positional.Count > 1) o = o with { Threads = positional[1] };
        if (o.Gpt124mDim % 64 != 0 || o.Gpt124mDim <= 0) throw new ArgumentException($"--gpt124m-dim must be a multiple of 64 (heads of 64), got {o.Gpt124mDim}");
        if (o.Digits is < 3 or > 7) throw new ArgumentException($"--digits must be 3..7, got {o.Digits}");
        return o;
    }
}
