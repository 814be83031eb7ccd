using RecKit.Models;

namespace RecKit.Cli;

/// <summary>
/// The models `reckit train` and `reckit evaluate` can fit: they read a plain interactions file, so a model that needs
/// item features or tags is refused before any data is read, with where it can be fitted instead.
/// </summary>
internal static class PlainModels
{
    public static IModelDefinition Get(string name)
    {
        var definition = ModelDefinitions.Get(name);
        if (definition.Needs.HasFlag(ModelNeeds.ItemFeatures) || definition.Needs.HasFlag(ModelNeeds.Tags))
        {
            throw new ArgumentException($"Model '{definition.Name}' needs {(definition.Needs.HasFlag(ModelNeeds.Tags) ? "tags" : "item features")}, which this command does not read; the main job (reckit run) fits it from the feature files its data section describes.");
        }

        return definition;
    }
}
