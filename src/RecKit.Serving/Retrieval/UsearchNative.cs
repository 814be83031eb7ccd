using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace RecKit.Serving;

/// <summary>
/// What RecKit needs from USearch's C library beyond the .NET binding: the binding's native index pointer (it keeps it
/// private), capacity and insertion contexts reserved up front (the binding grows an index one add at a time, which
/// concurrent adds cannot), search contexts, and the search width (a graph opened from disk does not keep it).
/// </summary>
internal static partial class UsearchNative
{
    /// <summary>The native index behind a binding object.</summary>
    public static IntPtr Handle(USearchIndex index) => NativeIndex(index);

    /// <summary>Room for <paramref name="capacity"/> vectors added by up to <paramref name="threads"/> threads at once (an insertion context each).</summary>
    public static void Reserve(USearchIndex index, int capacity, int threads)
    {
        usearch_change_threads_add(Handle(index), (nuint)threads, out var error);
        ThrowIfFailed(error, $"cannot size the item index for {threads} adding threads");
        usearch_reserve(Handle(index), (nuint)capacity, out error);
        ThrowIfFailed(error, $"cannot size the item index for {capacity} items");
    }

    /// <summary>Throws when a C call reported an error (its message after <paramref name="what"/>).</summary>
    public static void ThrowIfFailed(IntPtr error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"{what}: {Marshal.PtrToStringAnsi(error)}");
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
        ThrowIfFailed(error, "cannot read the item index's search width");
        return (int)expansion;
    }

    /// <summary>Sets the beam width of searches (a file opened from disk starts at the library's default, not the width it was built with).</summary>
    public static void SetExpansionSearch(USearchIndex index, int expansion)
    {
        usearch_change_expansion_search(Handle(index), (nuint)expansion, out var error);
        ThrowIfFailed(error, "cannot set the item index's search width");
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
