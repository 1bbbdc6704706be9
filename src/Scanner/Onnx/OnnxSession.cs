using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MemScan.Scanner.Onnx;

/// <summary>
/// One ONNX Runtime <see cref="InferenceSession"/> for one validated model file. Owns the session
/// and disposes it; every <see cref="OrtValue"/> it creates is disposed before a call returns.
/// ONNX Runtime failures surface as <see cref="MemScanException"/> naming the model.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    public const string CpuBuildCudaNote =
        "CUDA requested but this build has no CUDA provider; running on CPU (build with -p:MemScanGpu=true; it needs CUDA 13 and cuDNN 9)";

    /// <summary>True when this build carries ONNX Runtime's CUDA provider (-p:MemScanGpu=true).</summary>
    public const bool GpuBuild =
#if MEMSCAN_GPU
        true;
#else
        false;
#endif

    private static readonly Lock EnvLock = new();
    private static bool _envQuiet;

    private readonly InferenceSession _session;
    private bool _disposed;

    private OnnxSession(InferenceSession session, OnnxModelInfo info, Device device, string? deviceNote)
    {
        _session = session;
        Info = info;
        Device = device;
        DeviceNote = deviceNote;
        Inputs = session.InputMetadata.Select(kv => ToValueInfo(kv.Key, kv.Value)).ToArray();
        Outputs = session.OutputMetadata.Select(kv => ToValueInfo(kv.Key, kv.Value)).ToArray();
    }

    /// <summary>Models from this size on get a full collection between the check's parse and ONNX Runtime's load.</summary>
    const long LargeModelBytes = 64L << 20;

    /// <summary>The validated model behind this session.</summary>
    public OnnxModelInfo Info { get; }

    public string ModelPath => Info.Path;

    /// <summary>The device the session actually runs on.</summary>
    public Device Device { get; }

    /// <summary>Why the device differs from the one asked for (CUDA fallback), or null.</summary>
    public string? DeviceNote { get; }

    /// <summary>Inputs as ONNX Runtime sees them (symbolic dims keep their names).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The underlying session, for callers that manage <see cref="OrtValue"/>s themselves.</summary>
    public InferenceSession Session => _disposed ? throw new ObjectDisposedException(nameof(OnnxSession)) : _session;

    /// <summary>
    /// Validates <paramref name="path"/> with <see cref="OnnxModelInfo.Load"/>, then creates the
    /// ONNX Runtime session (full graph optimization, errors-only logging, the requested device
    /// with CPU fallback).
    /// </summary>
    public static OnnxSession Open(string path, OnnxSessionOptions? options = null)
    {
        options ??= OnnxSessionOptions.Default;
        var info = OnnxModelInfo.Load(path, options.Limits);
        QuietEnvironment();
        // The check's parse of a large model leaves its weights' payloads as garbage (OnnxModelInfo
        // keeps the graph without them). An aggressive, compacting collection before ONNX Runtime
        // reads its own copy also decommits the heap they filled: a forced one left about 360 MiB
        // committed at 124M parameters, resident for the rest of the scan.
        if (info.FileBytes >= LargeModelBytes)
        {
            if (options.DecommitCheckHeap) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            else GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        }

        string? note = null;
        if (options.Device == Device.Cuda)
        {
#if MEMSCAN_GPU
            // A missing CUDA library is logged by ORT at ERROR level before it throws; the note
            // below says the same in one line, so the attempt runs with the logger at FATAL.
            var env = OrtEnv.Instance();
            try
            {
                env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
                using var cudaOptions = CreateOptions(options);
                cudaOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                return new OnnxSession(new InferenceSession(info.Path, cudaOptions), info, Device.Cuda, null);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                note = $"CUDA requested but the CUDA provider could not start on device {options.CudaDeviceId} " +
                       $"({OnnxModelInfo.FirstLine(e.Message)}; ONNX Runtime {OrtEnv.Instance().GetVersionString()} needs CUDA 13 and cuDNN 9: " +
                       $"{CudaLibraries.Describe()}); running on CPU";
            }
            finally
            {
                env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            }
#else
            note = CpuBuildCudaNote;
#endif
        }

        using var cpuOptions = CreateOptions(options);
        try
        {
            return new OnnxSession(new InferenceSession(info.Path, cpuOptions), info, Device.Cpu, note);
        }
        catch (OnnxRuntimeException e)
        {
            throw new MemScanException($"ONNX Runtime cannot load {path}: {OnnxModelInfo.FirstLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// Runs the model on managed arrays (pinned, not copied) and copies the requested outputs
    /// (all outputs when none are named) into float arrays. Float16 and double outputs are
    /// converted to float.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxFloatTensor> Run(IReadOnlyList<OnnxInput> inputs, params string[] outputNames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var names = outputNames.Length > 0 ? outputNames : _session.OutputNames.ToArray();
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs) values.Add(CreateValue(input));
            using var results = Run(inputs.Select(i => i.Name).ToArray(), values, names);
            var copied = new Dictionary<string, OnnxFloatTensor>(StringComparer.Ordinal);
            int k = 0;
            foreach (var value in results) copied[names[k]] = CopyToFloat(names[k++], value);
            return copied;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>
    /// Runs the model and copies the requested outputs in their own element type (float16 stays
    /// float16): for state that is fed back as it came, with no float copy.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxTypedTensor> RunTyped(IReadOnlyList<OnnxInput> inputs, IReadOnlyList<string> outputNames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs) values.Add(CreateValue(input));
            using var results = Run(inputs.Select(i => i.Name).ToArray(), values, outputNames.ToArray());
            var copied = new Dictionary<string, OnnxTypedTensor>(StringComparer.Ordinal);
            int k = 0;
            foreach (var value in results) copied[outputNames[k]] = CopyTyped(outputNames[k++], value);
            return copied;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>
    /// Runs the model with caller-owned output buffers: ONNX Runtime writes each output
    /// straight into its <see cref="OnnxSessionOutput.Buffer"/> with the given shape, which must be
    /// the shape the model produces, or ONNX Runtime fails the run. Performance: unlike
    /// <see cref="Run(IReadOnlyList{OnnxInput}, string[])"/> nothing is allocated or copied per
    /// output, which matters when logits are [batch, seq, 50,257] floats on every call.
    /// </summary>
    public void RunInto(IReadOnlyList<OnnxInput> inputs, IReadOnlyList<OnnxSessionOutput> outputs) => RunInto(inputs, [], outputs);

    /// <summary>
    /// As <see cref="RunInto(IReadOnlyList{OnnxInput}, IReadOnlyList{OnnxSessionOutput})"/>, also
    /// feeding <paramref name="boundInputs"/> from the start of buffers that may be longer than their
    /// shape: a decoding loop feeds the caches one run wrote back in as the next run's past, with no copy.
    /// </summary>
    public void RunInto(IReadOnlyList<OnnxInput> inputs, IReadOnlyList<OnnxSessionOutput> boundInputs, IReadOnlyList<OnnxSessionOutput> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int inputCount = inputs.Count + boundInputs.Count;
        var values = new List<OrtValue>(inputCount + outputs.Count);
        try
        {
            foreach (var input in inputs) values.Add(CreateValue(input));
            foreach (var input in boundInputs) values.Add(BindBuffer(input));
            foreach (var output in outputs) values.Add(BindBuffer(output));
            using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            _session.Run(runOptions, inputs.Select(i => i.Name).Concat(boundInputs.Select(i => i.Name)).ToArray(), values.Take(inputCount).ToArray(),
                outputs.Select(o => o.Name).ToArray(), values.Skip(inputCount).ToArray());
        }
        catch (OnnxRuntimeException e)
        {
            throw new MemScanException($"ONNX Runtime failed running {ModelPath}: {OnnxModelInfo.FirstLine(e.Message)}", e);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>An OrtValue over the first <see cref="OnnxSessionOutput.Elements"/> values of a caller-owned buffer (pinned, not copied).</summary>
    static OrtValue BindBuffer(OnnxSessionOutput output)
    {
        long n = output.Elements;
        if (n > output.Buffer.Length)
            throw new ArgumentException($"'{output.Name}': shape [{string.Join(", ", output.Shape)}] needs {n} values, the buffer holds {output.Buffer.Length}");
        return output.Buffer switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(f, 0, (int)n), output.Shape),
            Float16[] h => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<Float16>(h, 0, (int)n), output.Shape),
            BFloat16[] h => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<BFloat16>(h, 0, (int)n), output.Shape),
            double[] d => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<double>(d, 0, (int)n), output.Shape),
            var other => throw new ArgumentException($"'{output.Name}': cannot bind a {other.GetType().Name} buffer (float, Float16, BFloat16 or double)"),
        };
    }

    /// <summary>
    /// The OrtValue-level run: inputs stay owned by the caller; the returned collection owns the
    /// outputs and must be disposed by the caller.
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyCollection<string> inputNames,
        IReadOnlyCollection<OrtValue> inputs, IReadOnlyCollection<string> outputNames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        try
        {
            return _session.Run(runOptions, inputNames, inputs, outputNames);
        }
        catch (OnnxRuntimeException e)
        {
            throw new MemScanException($"ONNX Runtime failed running {ModelPath}: {OnnxModelInfo.FirstLine(e.Message)}", e);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session.Dispose();
    }

    private static SessionOptions CreateOptions(OnnxSessionOptions options)
    {
        var so = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            GraphOptimizationLevel = options.GraphOptimization,
            IntraOpNumThreads = Math.Max(0, options.IntraOpThreads),
            ExecutionMode = options.ParallelExecution ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            EnableMemoryPattern = options.MemoryPattern,
            EnableCpuMemArena = options.CpuArena,
        };
        return so;
    }

    /// <summary>ORT's process-wide logger defaults to WARNING; MemScan wants errors only.</summary>
    private static void QuietEnvironment()
    {
        lock (EnvLock)
        {
            if (_envQuiet) return;
            if (!OrtEnv.IsCreated)
            {
                OrtTelemetry.DisableBeforeFirstUse();
                var env = new EnvironmentCreationOptions { logId = "memscan", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
                OrtEnv.CreateInstanceWithOptions(ref env);
            }
            else
            {
                OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            }
            OrtEnv.Instance().DisableTelemetryEvents(); // the API switch too: it is what turns Windows' ETW provider off
            _envQuiet = true;
        }
    }

    private static OrtValue CreateValue(OnnxInput input)
    {
        int n = checked((int)input.Elements);
        return input.Data switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(f, 0, n), input.Shape),
            long[] l => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(l, 0, n), input.Shape),
            int[] i => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<int>(i, 0, n), input.Shape),
            bool[] b => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<bool>(b, 0, n), input.Shape),
            Float16[] h => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<Float16>(h, 0, n), input.Shape),
            BFloat16[] h => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<BFloat16>(h, 0, n), input.Shape),
            double[] d => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<double>(d, 0, n), input.Shape),
            _ => throw new ArgumentException($"input '{input.Name}': unsupported array type {input.Data.GetType().Name}"),
        };
    }

    private OnnxFloatTensor CopyToFloat(string name, OrtValue value)
    {
        if (!value.IsTensor)
            throw new MemScanException($"output '{name}' of {ModelPath} is a {value.OnnxType}, not a tensor");
        var ts = value.GetTensorTypeAndShape();
        var shape = ts.Shape;
        float[] data = ts.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => ConvertAll(value.GetTensorDataAsSpan<double>(), d => (float)d),
            TensorElementType.Float16 => ConvertAll(value.GetTensorDataAsSpan<Float16>(), h => h.ToFloat()),
            TensorElementType.BFloat16 => ConvertAll(value.GetTensorDataAsSpan<BFloat16>(), h => h.ToFloat()),
            var other => throw new MemScanException(
                $"output '{name}' of {ModelPath} is {((OnnxElementType)(int)other).ToOnnxString()}, not a floating-point tensor; use the OrtValue Run overload"),
        };
        return new OnnxFloatTensor(name, data, shape);
    }

    private OnnxTypedTensor CopyTyped(string name, OrtValue value)
    {
        if (!value.IsTensor)
            throw new MemScanException($"output '{name}' of {ModelPath} is a {value.OnnxType}, not a tensor");
        var ts = value.GetTensorTypeAndShape();
        Array data = ts.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => value.GetTensorDataAsSpan<Float16>().ToArray(),
            TensorElementType.BFloat16 => value.GetTensorDataAsSpan<BFloat16>().ToArray(),
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
            var other => throw new MemScanException(
                $"output '{name}' of {ModelPath} is {((OnnxElementType)(int)other).ToOnnxString()}; MemScan reads float, float16, bfloat16, double, int64 and int32 outputs"),
        };
        return new OnnxTypedTensor(name, data, ts.Shape, (OnnxElementType)(int)ts.ElementDataType);
    }

    private static float[] ConvertAll<T>(ReadOnlySpan<T> span, Func<T, float> convert)
    {
        var result = new float[span.Length];
        for (int i = 0; i < span.Length; i++) result[i] = convert(span[i]);
        return result;
    }

    private static OnnxValueInfo ToValueInfo(string name, NodeMetadata m)
    {
        if (!m.IsTensor) return new OnnxValueInfo(name, OnnxElementType.Undefined, null, IsTensor: false);
        var dims = new OnnxDim[m.Dimensions.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            var sym = i < m.SymbolicDimensions.Length ? m.SymbolicDimensions[i] : "";
            dims[i] = m.Dimensions[i] >= 0 ? m.Dimensions[i] : sym.Length > 0 ? OnnxDim.Symbolic(sym) : OnnxDim.Unknown;
        }
        return new OnnxValueInfo(name, (OnnxElementType)(int)m.ElementDataType, dims);
    }
}
