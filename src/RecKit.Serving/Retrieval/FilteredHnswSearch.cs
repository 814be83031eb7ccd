using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace RecKit.Serving;

/// <summary>
/// USearch's filtered search (usearch_filtered_search in its C library, which the .NET binding does not wrap): the graph
/// walk itself skips the items a request must not get (the user's excluded items, a filter's refusals), so a search asks
/// for k items instead of k plus every excluded item (thousands for a heavy user, and a beam as wide).
/// </summary>
internal static unsafe partial class FilteredHnswSearch
{
    /// <summary>What the filter callback reads: the excluded items (ascending) and the optional filter (a GC handle, 0 for none).</summary>
    private struct State
    {
        public int* Excluded;
        public int ExcludedLength;
        public IntPtr Allow;
    }

    // A filter that throws inside the native walk cannot unwind through it: the exception waits here (same thread: the
    // C search calls back on the caller's thread) and is thrown again once the search returns.
    [ThreadStatic]
    private static ExceptionDispatchInfo? _failure;

    /// <summary>
    /// Up to <paramref name="keys"/>.Length nearest items of <paramref name="shard"/> to <paramref name="query"/> that are
    /// neither excluded nor refused by <paramref name="allow"/>, nearest first; returns how many were found.
    /// </summary>
    public static int Search(USearchIndex shard, ReadOnlySpan<float> query, ReadOnlySpan<int> excluded, Func<int, bool>? allow, Span<ulong> keys, Span<float> distances)
    {
        var handle = allow is null ? default : GCHandle.Alloc(allow);
        try
        {
            fixed (int* excludedItems = excluded)
            fixed (float* vector = query)
            fixed (ulong* foundKeys = keys)
            fixed (float* foundDistances = distances)
            {
                var state = new State { Excluded = excludedItems, ExcludedLength = excluded.Length, Allow = allow is null ? 0 : GCHandle.ToIntPtr(handle) };
                var found = usearch_filtered_search(UsearchNative.Handle(shard), vector, (int)ScalarKind.Float32, (nuint)keys.Length, &Keep, (IntPtr)(&state), foundKeys, foundDistances, out var error);
                if (_failure is { } failure)
                {
                    _failure = null;
                    failure.Throw();
                }

                UsearchNative.ThrowIfFailed(error, "the item index search failed");

                return (int)found;
            }
        }
        finally
        {
            if (handle.IsAllocated)
            {
                handle.Free();
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Keep(ulong key, IntPtr state)
    {
        var filter = (State*)state;
        try
        {
            var item = (int)key;
            if (new ReadOnlySpan<int>(filter->Excluded, filter->ExcludedLength).BinarySearch(item) >= 0)
            {
                return 0;
            }

            return filter->Allow == 0 || ((Func<int, bool>)GCHandle.FromIntPtr(filter->Allow).Target!)(item) ? 1 : 0;
        }
        catch (Exception ex)
        {
            _failure ??= ExceptionDispatchInfo.Capture(ex);
            return 0;
        }
    }

    [LibraryImport("libusearch_c")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint usearch_filtered_search(
        IntPtr index, float* query, int queryKind, nuint count, delegate* unmanaged[Cdecl]<ulong, IntPtr, int> filter, IntPtr filterState, ulong* keys, float* distances, out IntPtr error);
}
