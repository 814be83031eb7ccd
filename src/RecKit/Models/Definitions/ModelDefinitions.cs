namespace RecKit.Models;

/// <summary>
/// Every model RecKit can fit, by name (case-insensitive). Adding a model means adding its definition here; the main
/// job, the command line, model files, bundles and serving read everything else from the definition.
/// </summary>
public static class ModelDefinitions
{
    private static readonly IModelDefinition[] Ordered =
    [
        new PopularityDefinition(),
        new BiasDefinition(),
        MatrixFactorizationDefinition.Mf,
        MatrixFactorizationDefinition.SvdPlusPlus,
        new BprDefinition(),
        new AlsDefinition(),
        new ItemKnnDefinition(),
        new SequenceKnnDefinition(),
        new EaseDefinition(),
        ContentDefinition.Genre,
        ContentDefinition.Content,
        ContentDefinition.Tags,
        new TwoTowerDefinition(),
    ];

    private static readonly Dictionary<string, IModelDefinition> ByName = Ordered.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<IModelDefinition> All => Ordered;

    public static IEnumerable<string> Names => Ordered.Select(d => d.Name);

    /// <summary>Every model-file kind any model writes, with its reader.</summary>
    public static IEnumerable<ModelFileKind> FileKinds => Ordered.SelectMany(d => d.FileKinds).DistinctBy(k => k.Kind);

    public static bool TryGet(string name, out IModelDefinition definition) => ByName.TryGetValue(name, out definition!);

    /// <summary>The definition, or an <see cref="ArgumentException"/> listing the known models.</summary>
    public static IModelDefinition Get(string name) =>
        TryGet(name, out var definition)
            ? definition
            : throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.");
}
