using System.Runtime.InteropServices;

namespace NeuroCore.PeerBenchmarks;

/// <summary>Finds out, without crashing, which peer libraries can run on this machine.</summary>
public static class Peers
{
    /// <summary>Null when TorchSharp works, otherwise a one-line reason.</summary>
    public static string? TorchSharpProblem { get; } = ProbeTorchSharp();

    /// <summary>Null when OpenBLAS's cblas_sgemm can be called, otherwise a one-line reason.</summary>
    public static string? OpenBlasProblem { get; } = ProbeOpenBlas();

    private static string? ProbeTorchSharp()
    {
        try
        {
            using var t = TorchSharp.torch.ones(2);
            return t.sum().item<float>() == 2f ? null : "TorchSharp computed a wrong sum";
        }
        catch (Exception e)
        {
            // TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13's libstdc++) for one
            // marker symbol; Debian 12 ships up to GLIBCXX_3.4.30, so the native library does not load there.
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            var first = inner.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? inner.GetType().Name;
            return $"TorchSharp-cpu 0.107 cannot load its native library here ({first.Trim()}); " +
                   "on Debian 12 this is libLibTorchSharp.so requiring GLIBCXX_3.4.32 (GCC 13's libstdc++).";
        }
    }

    private static string? ProbeOpenBlas()
    {
        try
        {
            var a = new float[] { 1, 2, 3, 4 };
            var c = new float[4];
            OpenBlas.Sgemm(2, 2, 2, a, a, c);
            return c[0] == 7 && c[3] == 22 ? null : "OpenBLAS computed a wrong product";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return $"OpenBLAS is not available ({e.Message.Split('\n')[0]}); install it with: sudo apt-get install libopenblas0";
        }
    }

    /// <summary>Prints which peers run, and why the others do not, one line each.</summary>
    public static void Report()
    {
        Console.WriteLine(TorchSharpProblem is null ? "TorchSharp: available" : "TorchSharp: SKIPPED — " + TorchSharpProblem);
        Console.WriteLine(OpenBlasProblem is null
            ? $"OpenBLAS: available (core type {OpenBlas.CoreName()}, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "unset"})"
            : "OpenBLAS: SKIPPED — " + OpenBlasProblem);
    }
}

/// <summary>P/Invoke to Debian's libopenblas0 (cblas_sgemm, thread control).</summary>
public static unsafe partial class OpenBlas
{
    private const string Lib = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111;

    [LibraryImport(Lib, EntryPoint = "cblas_sgemm")]
    private static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Lib, EntryPoint = "openblas_set_num_threads")]
    private static partial void openblas_set_num_threads(int n);

    [LibraryImport(Lib, EntryPoint = "openblas_get_corename")]
    private static partial nint openblas_get_corename();

    /// <summary>C[M,N] = A[M,K] · B[K,N], row-major, no transposes.</summary>
    public static void Sgemm(int m, int n, int k, float[] a, float[] b, float[] c)
    {
        fixed (float* pa = a, pb = b, pc = c)
            cblas_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
    }

    /// <summary>Sets OpenBLAS's thread count.</summary>
    public static void SetThreads(int n) => openblas_set_num_threads(n);

    /// <summary>The kernel family OpenBLAS chose (e.g. Haswell, SkylakeX).</summary>
    public static string CoreName() => Marshal.PtrToStringAnsi(openblas_get_corename()) ?? "?";
}
