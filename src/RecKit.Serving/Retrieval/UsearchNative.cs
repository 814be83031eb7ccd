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

    /// <summary>Room for <paramref name="capacity"/> vectors added by up to <paramref name="threads"/> threads at once (an insertion context each).</summary>
    public static void Reserve(USearchIndex index, int capacity, int threads)
    {
        usearch_change_threads_add(Handle(index), (nuint)threads, out var error);
        if (error == 0)
        {
            usearch_reserve(Handle(index), (nuint)capacity, out error);
        }

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

    /// <summary>The beam width searches use now.</summary>
    public static int ExpansionSearch(USearchIndex index)
    {
        var expansion = usearch_expansion_search(Handle(index), out var error);
        return error == 0 ? (int)expansion : throw new InvalidOperationException($"cannot read the item index's search width: {Marshal.PtrToStringAnsi(error)}");
    }

    /// <summary>Sets the beam width of searches (a file opened from disk starts at the library's default, not the width it was built with).</summary>
    public static void SetExpansionSearch(USearchIndex index, int expansion)
    {
        usearch_change_expansion_search(Handle(index), (nuint)expansion, out var error);
        if (error != 0)
        {
            throw new InvalidOperationException($"cannot set the item index's search width: {Marshal.PtrToStringAnsi(error)}");
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_index")]
    private static extern ref IntPtr NativeIndex(USearchIndex index);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void usearch_reserve(IntPtr index, nuint capacity, out IntPtr error);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void usearch_change_threads_search(IntPtr index, nuint threads, out IntPtr error);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint usearch_expansion_search(IntPtr index, out IntPtr error);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void usearch_change_expansion_search(IntPtr index, nuint expansion, out IntPtr error);

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void usearch_change_threads_add(IntPtr index, nuint threads, out IntPtr error);
}
