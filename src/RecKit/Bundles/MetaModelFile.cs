using RecKit.Persistence;
using RecKit.Ranking;

using RecKit.IO;

namespace RecKit.Bundles;

/// <summary>
/// A stack's meta model as a bundle side file, in the model writer's binary encoding: the logistic stack ("RECKITLS"
/// magic, feature names, standardiser, coefficients); GBStack and the LambdaMART stack as their LightGBM trees in flat
/// arrays, and a blend of them as one ensemble ("RECKITGB" magic, then <see cref="CompiledTrees"/>: nodes, thresholds, children, leaves, tree weights, bias;
/// "RECKITLT" when the leaves are linear, their constants and coefficients last), served without ML.NET or LightGBM. Integrity is the bundle manifest's SHA-256 of each file.
/// </summary>
public static class MetaModelFile
{
    private static readonly byte[] LogisticMagic = "RECKITLS"u8.ToArray();
    private static readonly byte[] TreesMagic = "RECKITGB"u8.ToArray();
    private static readonly byte[] LinearTreesMagic = "RECKITLT"u8.ToArray();

    /// <returns>The kind (logistic, gbdt, lambdamart, xendcg, blend) and the file's path relative to the bundle.</returns>
    public static (string Kind, string File) Save(string bundleFolder, IMetaModel meta, IReadOnlyList<string> featureNames)
    {
        switch (meta)
        {
            case LogisticStack logistic:
            {
                var file = $"meta/{meta.Name}.bin";
                AtomicFile.Write(Path.Combine(bundleFolder, file), stream =>
                {
                    stream.Write(LogisticMagic);
                    var writer = new ModelWriter(stream);
                    logistic.Write(writer, featureNames);
                    writer.Flush();
                });
                return ("logistic", file);
            }

            case ITreeEnsemble trees:
            {
                var file = $"meta/{meta.Name}.trees";
                var compiled = trees.Compile();
                AtomicFile.Write(Path.Combine(bundleFolder, file), stream =>
                {
                    stream.Write(compiled.HasLinearLeaves ? LinearTreesMagic : TreesMagic);
                    var writer = new ModelWriter(stream);
                    compiled.Write(writer);
                    writer.Flush();
                });
                return (trees.Kind, file);
            }

            default:
                throw new BundleException($"The meta model {meta.Name} ({meta.GetType().Name}) cannot be saved in a bundle.");
        }
    }

    public static IMetaModel Load(string path, string kind, IReadOnlyList<string> featureNames)
    {
        using var stream = File.OpenRead(path);
        var magic = new byte[8];
        stream.ReadExactly(magic);
        switch (kind)
        {
            case "logistic":
                if (!magic.AsSpan().SequenceEqual(LogisticMagic))
                {
                    throw new BundleException($"{path}: not a RecKit logistic stack file.");
                }

                var (model, names) = LogisticStack.Read(new ModelReader(stream, path));
                if (!names.SequenceEqual(featureNames))
                {
                    throw new BundleException($"{path}: the logistic stack's features ({string.Join(", ", names)}) are not the bundle's ({string.Join(", ", featureNames)}).");
                }

                return model;
            case "gbdt" or "lambdamart" or "xendcg" or "blend":
                var linear = magic.AsSpan().SequenceEqual(LinearTreesMagic);
                if (!linear && !magic.AsSpan().SequenceEqual(TreesMagic))
                {
                    throw new BundleException($"{path}: not a RecKit tree stack file.");
                }

                return CompiledTrees.Read(new ModelReader(stream, path), featureNames, linear);
            default:
                throw new BundleException($"{path}: unknown meta model kind '{kind}' (expected logistic, gbdt, lambdamart, xendcg or blend).");
        }
    }
}
