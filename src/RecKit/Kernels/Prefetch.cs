using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace RecKit.Kernels;

/// <summary>
/// Asks the CPU to start loading memory that a loop will need a few iterations from now, for loops that jump around
/// large arrays (the Adam path of BPR reads rows of a 35 MB user matrix at random). A hint only: results never change,
/// and on a CPU without the instruction it does nothing.
/// </summary>
internal static class Prefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Span<T>(ReadOnlySpan<T> data)
        where T : unmanaged
    {
        if (!Sse.IsSupported || data.IsEmpty)
        {
            return;
        }

        fixed (T* start = data)
        {
            var first = (byte*)start;
            var last = first + ((long)data.Length * sizeof(T)) - 1;
            for (var line = first; line <= last; line += 64)
            {
                Sse.Prefetch0(line);
            }

            Sse.Prefetch0(last); // the last line, when the span does not start on a line boundary
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Element<T>(ReadOnlySpan<T> data, int index)
        where T : unmanaged => Span(data.Slice(index, 1));
}
