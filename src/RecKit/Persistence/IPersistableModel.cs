namespace RecKit.Persistence;

/// <summary>A model that can be written into a RecKit model file; its kind is registered in <see cref="Models.ModelRegistry"/>.</summary>
public interface IPersistableModel
{
    /// <summary>Stable name of the model kind in files ("bias", "popularity", ...).</summary>
    string Kind { get; }

    /// <summary>Version of this kind's payload layout; readers reject versions they do not know.</summary>
    int PayloadVersion { get; }

    void WritePayload(ModelWriter writer);
}
