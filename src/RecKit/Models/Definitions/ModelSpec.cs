using System.Text.Json.Nodes;

namespace RecKit.Models;

/// <summary>A model chosen by name with its options read and validated: what a run fits and a bundle records.</summary>
public sealed record ModelSpec(IModelDefinition Definition, object Options)
{
    public string Name => Definition.Name;

    /// <summary>Reads <paramref name="settings"/> for the model named <paramref name="name"/> (strict; errors name the model).</summary>
    public static ModelSpec Read(string name, JsonObject? settings)
    {
        var definition = ModelDefinitions.Get(name);
        return new ModelSpec(definition, definition.ReadOptions(settings));
    }

    public IRecommender Fit(ModelInputs inputs) => Definition.Fit(Options, inputs);

    /// <summary>Every option as JSON (what a bundle manifest stores).</summary>
    public JsonObject WriteOptions() => Definition.WriteOptions(Options);
}
