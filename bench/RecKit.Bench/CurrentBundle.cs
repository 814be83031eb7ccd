using RecKit.Bundles;

namespace RecKit.Bench;

/// <summary>The bundle a benchmark reads: the current version under the root its first argument names (default out/bundles).</summary>
internal static class CurrentBundle
{
    public static string Folder(string[] args)
    {
        var store = new BundleStore(args.Length > 0 ? args[0] : Path.Combine("out", "bundles"));
        return store.PathOf(store.CurrentVersion() ?? throw new ArgumentException($"no current bundle in {store.Root}"));
    }
}
