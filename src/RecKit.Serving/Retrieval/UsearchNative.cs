using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace RecKit.Serving;

/// <summary>
/// What RecKit needs from USearch's C library beyond the .NET binding: the binding's native index pointer (it keeps it
/// private) and reserving capacity up front (the binding grows an index one add at a time, which concurrent adds cannot).
/// </summary>
internal static partial class UsearchNative
{
    /// <summary>The native index behind a binding object.</summary>
    public static IntPtr Handle(USearchIndex index) => NativeIndex(index);

    /// <summary>Room for <paramref name="capacity"/> vectors, and one insertion context per hardware thread.</summary>
    public static void Reserve(USearchIndex index, int capacity)
    {
        usearch_reserve(Handle(index), (nuint)capacity, out var error);
        if (error != 0)
        {
            throw new InvalidOperationException($"cannot size the item index for {capacity} items: {Marshal.PtrToStringAnsi(error)}");
        }
    }

    /// <summary>
    /// Room for <paramref name="threads"/> searches at once (one search context each); false when the index refuses (then
    /// it keeps one per hardware thread).
    /// </summary>
    public static bool TrySetSearchThreads(USearchIndex index, int threads)
    {
        usearch_change_threads_search(Handle(index), (nuint)threads, out var error);
        return error == 0;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_index")]
    private static extern ref IntPtr NativeIndex(USearchIndex index);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void usearch_reserve(IntPtr index, nuint capacity, out IntPtr error);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void usearch_change_threads_search(IntPtr index, nuint threads, out IntPtr error);
}
